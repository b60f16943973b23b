// Cairn's dashboard: plain DOM and SVG drawn here, fed by the service's API and its event stream. No build step.
"use strict";

const state = { pipelines: [], pipeline: null, runs: [], selected: null, selectedCells: [], stages: {} };
const CELL_ROWS = 400;

const $ = (id) => document.getElementById(id);

function el(tag, attributes, ...children) {
  const node = tag.startsWith("svg:")
    ? document.createElementNS("http://www.w3.org/2000/svg", tag.slice(4))
    : document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

async function api(path, options) {
  const response = await fetch(path, options);
  if (!response.ok) {
    let detail = response.statusText;
    try { detail = (await response.json()).detail || detail; } catch { /* not problem details */ }
    throw new Error(detail);
  }
  const type = response.headers.get("content-type") || "";
  return type.includes("json") ? response.json() : response.text();
}

const query = () => (state.pipeline ? "pipeline=" + encodeURIComponent(state.pipeline.name) : "");
const time = (t) => (t ? t.replace("T", " ").replace(/\.\d+/, "").replace(/(\+00:00|Z)$/, "") : "");
const seconds = (ms) => (ms === null || ms === undefined ? "" : ms < 1000 ? Math.round(ms) + " ms" : (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + " s");
const status = (s) => el("span", { class: "status " + s }, s);

function applyPipelines(pipelines) {
  state.pipelines = pipelines;
  const select = $("pipeline");
  select.replaceChildren(...state.pipelines.map((p) => el("option", { value: p.name }, p.name)));
  select.onchange = () => { state.pipeline = state.pipelines.find((p) => p.name === select.value); state.selected = null; refreshAll(); };
  state.pipeline = state.pipelines[0] || null;
}

async function loadRuns() {
  state.runs = await api("/api/runs?limit=50&" + query());
  renderRuns();
  if (!state.selected && state.runs.length > 0) await selectRun(state.runs.find((r) => r.status !== "queued") || state.runs[0]);
}

function applyRun(found) {
  state.selected = found.run.id;
  state.selectedCells = found.cells;
  state.stages = stageStates(found.stages, found.run.status);
  renderRuns();
  renderDag(found.run);
  renderRun(found);
}

function renderRuns() {
  const rows = state.runs.map((run) => el("tr", {
    class: "pick" + (state.selected === run.id ? " selected" : ""), "data-run": run.id, onclick: () => selectRun(run),
  },
  el("td", {}, el("code", {}, run.id)),
  el("td", {}, status(run.status)),
  el("td", { title: run.detail || "" }, run.trigger || ""),
  el("td", {}, run.target),
  el("td", {}, run.partitions || ""),
  el("td", {}, time(run.startedAt || run.queuedAt)),
  el("td", {}, seconds(run.durationMs)),
  el("td", {}, run.ran), el("td", {}, run.skipped), el("td", {}, run.failed)));
  $("runs").tBodies[0].replaceChildren(...(rows.length ? rows : [el("tr", {}, el("td", { colspan: 10, class: "muted" }, "No runs yet."))]));
}

async function selectRun(run) {
  state.selected = run.id;
  renderRuns();
  applyRun(await api("/api/runs/" + encodeURIComponent(run.id) + "?cells=" + CELL_ROWS));
}

function stageStates(summary, runStatus) {
  const stages = {};
  for (const s of summary) {
    stages[s.stage] = { ran: s.ran, skipped: s.skipped, failed: s.failed, pending: s.pending };
    stages[s.stage].state = s.failed ? "failed" : s.pending ? (runStatus === "running" ? "running" : "pending") : s.ran ? "ran" : "skipped";
  }
  return stages;
}

function renderRun(found) {
  const run = found.run;
  $("run-title").textContent = run.id;
  const cells = found.cells;
  const rows = cells.map((c) => el("tr", {},
    el("td", {}, c.stage), el("td", {}, c.partition || "(all)"), el("td", {}, c.attempt),
    el("td", {}, c.decision), el("td", {}, status(c.status)), el("td", { class: "reason" }, c.reason),
    el("td", {}, seconds(c.durationMs)), el("td", {}, c.rowsIn ?? ""),
    el("td", {}, c.decision === "run" ? el("a", { href: cellLog(c), target: "_blank" }, "log") : "")));
  const attempts = (found.attempts || []).map((a) => el("li", {}, `attempt ${a.attempt}: `, el("code", {}, a.id), " ", status(a.status), a.failure ? " " + a.failure : ""));
  $("run-detail").replaceChildren(...[
    el("p", {}, status(run.status), ` ${run.trigger || ""} · target ${run.target} · ${run.partitions || ""} · started ${time(run.startedAt)} · ${seconds(run.durationMs)} · `,
      el("a", { href: "/api/runs/" + encodeURIComponent(run.id) + "/log", target: "_blank" }, "run log")),
    run.failure ? el("pre", { class: "failure" }, run.failure) : null,
    attempts.length > 1 ? el("ul", {}, attempts) : null,
    el("div", { class: "scroll" }, el("table", { id: "cells" },
      el("thead", {}, el("tr", {}, ["Stage", "Partition", "Attempt", "Decision", "Status", "Reason", "Duration", "Rows in", ""].map((h) => el("th", {}, h)))),
      el("tbody", {}, rows))),
    found.cellsTotal > cells.length ? el("p", { class: "muted" }, `… and ${found.cellsTotal - cells.length} more cells, up to date (GET /api/runs/${run.id} has them all).`) : null,
  ].filter((child) => child !== null));
}

function cellLog(cell) {
  return "/api/cells/log?" + query() + "&stage=" + encodeURIComponent(cell.stage) + (cell.partition ? "&partition=" + cell.partition : "");
}

// The DAG: stages in layers by the longest path from a source, edges from producer to consumer.
function renderDag(run) {
  const svg = $("dag-svg");
  const pipeline = state.pipeline;
  if (!pipeline) return;
  const depth = {};
  const place = (name) => {
    if (depth[name] !== undefined) return depth[name];
    const stage = pipeline.stages.find((s) => s.name === name);
    depth[name] = 0;
    depth[name] = stage.reads.length ? Math.max(...stage.reads.map(place)) + 1 : 0;
    return depth[name];
  };
  pipeline.stages.forEach((s) => place(s.name));
  const layers = [];
  for (const s of pipeline.stages) (layers[depth[s.name]] = layers[depth[s.name]] || []).push(s.name);
  const w = 118, h = 34, gapX = 34, gapY = 16;
  const position = {};
  layers.forEach((names, x) => names.forEach((name, y) => { position[name] = { x: 10 + x * (w + gapX), y: 10 + y * (h + gapY) }; }));
  const height = 20 + Math.max(...layers.map((l) => l.length)) * (h + gapY);
  const width = 20 + layers.length * (w + gapX);
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("width", width);
  svg.setAttribute("height", height);
  const defs = el("svg:defs", {}, el("svg:marker", { id: "arrow", viewBox: "0 0 10 10", refX: "10", refY: "5", markerWidth: "7", markerHeight: "7", orient: "auto" },
    el("svg:path", { d: "M0,0 L10,5 L0,10 z", fill: "#78909c" })));
  const edges = pipeline.edges.map((e) => {
    const a = position[e.from], b = position[e.to];
    const x1 = a.x + w, y1 = a.y + h / 2, x2 = b.x, y2 = b.y + h / 2, mid = (x1 + x2) / 2;
    return el("svg:path", { class: "edge", d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}` });
  });
  const colours = { ran: "#2e7d32", skipped: "#90a4ae", running: "#f9a825", failed: "#c62828", pending: "#e0e0e0" };
  const nodes = pipeline.stages.map((s) => {
    const p = position[s.name];
    const stageState = (state.stages[s.name] || {}).state || "pending";
    const label = state.stages[s.name] ? `${stageState} ${state.stages[s.name].ran}/${Object.values(state.stages[s.name]).filter((v) => typeof v === "number").reduce((a, b) => a + b, 0)}` : "not run";
    return el("svg:g", { class: "node " + stageState, "data-stage": s.name, "data-state": stageState },
      el("svg:rect", { x: p.x, y: p.y, width: w, height: h, fill: colours[stageState] }),
      el("svg:text", { x: p.x + 8, y: p.y + 14, fill: stageState === "ran" || stageState === "failed" ? "#fff" : "#1d2327" }, s.name),
      el("svg:text", { x: p.x + 8, y: p.y + 28, "font-size": "10", fill: stageState === "ran" || stageState === "failed" ? "#fff" : "#1d2327" }, label),
      el("svg:title", {}, `${s.name} (${s.task})${s.partitioned ? ", one cell per partition" : ""}`));
  });
  svg.replaceChildren(defs, ...edges, ...nodes);
  $("dag-caption").textContent = run ? `coloured by run ${run.id} (${run.status})` : "";
}

async function loadSchedules() {
  renderSchedules(await api("/api/schedules"));
}

function renderSchedules(all) {
  const schedules = all.filter((s) => !state.pipeline || s.pipeline === state.pipeline.name);
  const rows = schedules.map((s) => el("tr", {},
    el("td", { title: s.source }, s.name),
    el("td", {}, s.kind === "cron" ? `cron ${s.cron} (${s.timeZone})` : s.kind === "arrival" ? `data arriving, quiet ${s.quietPeriod}` : `after ${s.after}`),
    el("td", {}, s.target), el("td", {}, s.partitions),
    el("td", {}, s.paused ? status("paused") : time(s.nextFireTime) || "—"),
    el("td", {}, el("button", { "data-schedule": s.name, onclick: () => pause(s) }, s.paused ? "Resume" : "Pause"))));
  $("schedules").tBodies[0].replaceChildren(...(rows.length ? rows : [el("tr", {}, el("td", { colspan: 6, class: "muted" }, "No schedules in the pipeline file."))]));
}

async function pause(schedule) {
  const verb = schedule.paused ? "resume" : "pause";
  await api(`/api/schedules/${encodeURIComponent(schedule.name)}/${verb}?pipeline=${encodeURIComponent(schedule.pipeline)}`, { method: "POST" });
  await loadSchedules();
}

async function loadTrends() {
  if (!state.pipeline) return;
  renderTrends(await api("/api/trends?limit=30&" + query()));
}

function renderTrends(trends) {
  const charts = trends.stages.map((stage) => {
    const points = trends.points.filter((p) => p.stage === stage);
    return el("div", { class: "trend" }, el("div", {}, stage, el("span", { class: "muted" }, ` ${points.length} runs`)),
      chart(points.map((p) => p.durationMs), "duration", "ms"), chart(points.map((p) => p.rows), "rows", "rows"));
  });
  $("trends").replaceChildren(...(charts.length ? charts : [el("p", { class: "muted" }, "No runs yet.")]));
}

function chart(values, kind, unit) {
  const w = 190, h = 54;
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? (w - 8) / (values.length - 1) : 0;
  const points = values.map((v, i) => `${4 + i * step},${h - 4 - (v / max) * (h - 16)}`).join(" ");
  return el("svg:svg", { width: w, height: h, viewBox: `0 0 ${w} ${h}`, class: "chart " + kind },
    el("svg:text", { x: 4, y: 10, "font-size": "9", fill: "#6b7780" }, `${kind}: max ${kind === "duration" ? seconds(max) : max} ${kind === "duration" ? "" : unit}`),
    values.length ? el("svg:polyline", { class: "line " + kind, points }) : null);
}

async function loadStale() {
  if (!state.pipeline) return;
  try {
    const report = await api("/api/status?" + query());
    const stages = report.stages.filter((s) => s.stale > 0);
    const summary = el("p", {}, report.upToDate ? "Every cell is up to date." : `${report.staleCells} of ${report.cells} cells are stale in ${stages.length} stage(s).`);
    const lists = stages.map((s) => el("div", {}, el("strong", {}, `${s.stage}: ${s.stale} of ${s.cells} stale`),
      el("ul", {}, s.staleCells.slice(0, 8).map((c) => el("li", {}, c.partition ? `${state.pipeline.partitions.key}=${c.partition}: ` : "", c.causes.map((k) => k.text).join("; "))),
        s.staleCells.length > 8 ? el("li", { class: "muted" }, `… and ${s.staleCells.length - 8} more`) : null)));
    $("stale").replaceChildren(summary, ...lists);
    $("stale").classList.remove("muted");
  } catch (e) {
    $("stale").textContent = "Status could not be read: " + e.message;
  }
}

async function loadReviews() {
  renderReviews(await api("/api/reviews?" + query()));
}

// Pending reviews, each with the command that approves it; a decision is a person's, on the command line, with a reason.
function renderReviews(all) {
  const pending = all.filter((r) => r.status === "pending");
  const decided = all.length - pending.length;
  const note = el("p", { class: "muted" }, decided ? `${decided} decided (GET /api/reviews lists them, or ./build.sh --target=Reviews).` : "");
  if (!pending.length) {
    $("reviews").replaceChildren(...[el("p", { id: "reviews-none" }, "No review is pending."), decided ? note : null].filter((child) => child !== null));
    return;
  }
  const rows = pending.map((r) => el("tr", { "data-review": r.id },
    el("td", {}, el("code", {}, r.id)), el("td", {}, r.stage), el("td", {}, r.partition || "(all)"),
    el("td", { class: "breaches" }, r.breaches.join("; ")), el("td", {}, time(r.requestedAt)),
    el("td", {}, el("code", {}, r.runId)), el("td", {}, el("code", { class: "decide" }, r.approve))));
  $("reviews").replaceChildren(...[
    el("p", {}, `${pending.length} pending: the gate stays shut for these cells until a person approves or rejects each, with a reason. `,
      "Run the command beside each from the repository's root; ", el("code", {}, "--target=Reject"), " with the same arguments rejects."),
    el("div", { class: "scroll" }, el("table", { id: "reviews-table" },
      el("thead", {}, el("tr", {}, ["Review", "Stage", "Partition", "Breaches", "Filed at (UTC)", "Run", "Approve with"].map((h) => el("th", {}, h)))),
      el("tbody", {}, rows))),
    decided ? note : null,
  ].filter((child) => child !== null));
}

async function loadHealth() {
  renderHealth(await api("/api/health"));
}

function renderHealth(health) {
  const scheduler = health.scheduler ? ` · scheduler ${health.scheduler.state}` : "";
  $("health").textContent = `${health.queued} queued · ${health.running.length} running${scheduler} · v${health.version}`;
}

let refreshTimer = null;
function refreshSoon() {
  if (refreshTimer) return;
  refreshTimer = setTimeout(async () => {
    refreshTimer = null;
    await Promise.all([loadRuns(), loadHealth()]);
  }, 400);
}

function listen() {
  const events = new EventSource("/api/events");
  events.onopen = () => { $("live").textContent = "live"; $("live").classList.add("on"); };
  events.onerror = () => { $("live").textContent = "reconnecting…"; $("live").classList.remove("on"); };
  events.addEventListener("run", (e) => {
    const run = JSON.parse(e.data);
    if (state.pipeline && run.pipeline !== state.pipeline.name) return;
    refreshSoon();
    if (run.id === state.selected && run.status !== "running") selectRun({ id: run.id });
    if (run.status === "running") {
      state.selected = run.id;
      state.stages = {};
      renderDag({ id: run.id, status: "running" });
    }
    if (["succeeded", "failed", "held"].includes(run.status)) { loadTrends(); loadStale(); loadReviews(); }
  });
  events.addEventListener("stage", (e) => {
    const stage = JSON.parse(e.data);
    if (stage.runId !== state.selected) return;
    const s = state.stages[stage.stage] || (state.stages[stage.stage] = { ran: 0, skipped: 0, failed: 0, pending: 0 });
    if (stage.state === "running" || stage.state === "decided") s.state = "running";
    else { s.state = stage.state; s.ran = stage.ran; s.skipped = stage.skipped; s.failed = stage.failed; s.pending = 0; }
    renderDag({ id: stage.runId, status: "running" });
  });
  events.addEventListener("schedule", () => loadSchedules());
}

async function refreshAll() {
  await Promise.all([loadRuns(), loadSchedules(), loadHealth(), loadTrends(), loadReviews()]);
  if (!state.selected) renderDag(null);
  loadStale();
}

// The page arrives with its first data inside it (the service puts it there), so it shows runs, the DAG, schedules
// and trends as soon as it is parsed; Status, slower to compute, and the live stream follow.
(async () => {
  const initial = JSON.parse($("initial").textContent || "{}");
  if (initial.pipelines) {
    applyPipelines(initial.pipelines);
    state.runs = initial.runs;
    renderRuns();
    if (initial.selected) applyRun(initial.selected); else renderDag(null);
    renderSchedules(initial.schedules);
    if (initial.trends) renderTrends(initial.trends);
    renderHealth(initial.health);
    renderReviews(initial.reviews);
  } else {
    applyPipelines(await api("/api/pipelines"));
    await refreshAll();
  }
  loadStale();
  listen();
})();
