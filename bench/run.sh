#!/usr/bin/env bash
# Cairn's benchmark suite, one command: installs what it compares against (xxhsum, Snakemake 7.21, GNU time, and sqlite3 for the run log), builds
# Release, runs each comparison several times and prints a table of medians against the goals of issue 5, then the
# in-process micro-benchmarks (BenchmarkDotNet). Not part of the test command; timings are only as quiet as the
# machine (the load average is printed with the table).
#
#   bench/run.sh [--runs=N] [--first-runs=N] [--no-micro] [--quick]
#   bench/run.sh --scale [--sizes=1461,5000,15000,40000] [--runs=N] [--first-runs=N]
#
# --scale: the scale table of issue 16 instead (bench/scale.sh: 1,461 to 40,000 partitions; takes an hour or more).
# --runs: repetitions of each quick measurement (no-op, changed partition, decision cost; default 5; hashing takes
#   at least 7 pairs).
# --first-runs: repetitions of each first run of the full sample, Cairn's and Snakemake's (default 3; Snakemake's
#   takes minutes; the --parallelism=2 vs =1 pairs are at least 7, as the hashing pairs). --no-micro skips
#   BenchmarkDotNet. --quick is --runs=3 --first-runs=1 --no-micro.
# Work files go to .build/bench/ (git-ignored); the hashing files (1 GiB, 10,000 x 4 KiB) are kept there between runs.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 NO_COLOR=1
# As build.sh runs Cairn (the bench tool below hosts the engine without build.sh).
export DOTNET_TieredPGO="${DOTNET_TieredPGO:-0}"

for argument in "$@"; do
  if [[ $argument == --scale ]]; then exec "$root/bench/scale.sh" "$@"; fi
done

runs=5
first_runs=3
micro=1
for argument in "$@"; do
  case $argument in
    --runs=*) runs=${argument#*=} ;;
    --first-runs=*) first_runs=${argument#*=} ;;
    --no-micro) micro=0 ;;
    --quick) runs=3; first_runs=1; micro=0 ;;
    *) echo "bench/run.sh: unknown argument $argument; use --runs=N, --first-runs=N, --no-micro or --quick" >&2; exit 2 ;;
  esac
done

work="$root/.build/bench"
logs="$work/logs"
mkdir -p "$work" "$logs"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# --- what the comparisons need ---------------------------------------------------------------------------------
if ! command -v xxhsum >/dev/null || ! command -v snakemake >/dev/null || [[ ! -x /usr/bin/time ]] || ! command -v sqlite3 >/dev/null; then
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  echo "bench: installing xxhash, snakemake, time and sqlite3 (Debian packages)..."
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >"$logs/apt.log" 2>&1
  $sudo apt-get install -y -qq xxhash snakemake time sqlite3 >>"$logs/apt.log" 2>&1
fi
snakemake_version=$(snakemake --version)
xxhsum_version=$(xxhsum --version 2>&1 | head -1)

echo "bench: building Release..."
# build.sh builds the stage tasks (Release) only when their sources changed and compiles the Cake script once; this
# untimed one-partition run does both, so no measured run pays for them.
raw_all="$work/raw-1461"
raw_365="$work/raw-365"
if [[ ! -d $raw_all ]]; then python3 bench/make-raw.py pipelines/weather/data/seattle-weather.csv "$raw_all" 100000; fi
if [[ ! -d $raw_365 ]]; then python3 bench/make-raw.py pipelines/weather/data/seattle-weather.csv "$raw_365" 365; fi
./build.sh --target=Ingest --exclusive --partition=2012-01-01 --workspace="$work/ws-bootstrap" --raw="$raw_all" >"$logs/bootstrap.log" 2>&1 \
  || { echo "bench: ./build.sh failed; see $logs/bootstrap.log" >&2; exit 1; }
# The bench tool hosts the engine as the Cairn.Cake package ships it: ReadyToRun images for this machine's runtime
# (Cairn.Cake.csproj, CairnEngineReadyToRun), so its decision and hashing figures are a run's, not a JIT-only host's.
case $(uname -m) in
  x86_64) bench_rid=linux-x64 ;;
  aarch64) bench_rid=linux-arm64 ;;
  *) echo "bench: no ReadyToRun runtime for $(uname -m); use an x86_64 or aarch64 Linux machine" >&2; exit 2 ;;
esac
bench_dir="$root/.build/bin/Cairn.Bench/release-r2r"
dotnet publish bench/Cairn.Bench/Cairn.Bench.csproj -c Release -r "$bench_rid" --self-contained false -p:PublishReadyToRun=true \
  -o "$bench_dir" --nologo -v quiet -clp:ErrorsOnly >"$logs/build-bench.log" 2>&1 \
  || { cat "$logs/build-bench.log" >&2; exit 1; }
bench_tool=(dotnet "$bench_dir/Cairn.Bench.dll")

# --- helpers -----------------------------------------------------------------------------------------------------
# timed LOG COMMAND...: runs the command (output to LOG) and prints its wall time in seconds; a failure stops the suite.
timed() {
  local log=$1
  shift
  local start end
  start=$(date +%s%N)
  if ! "$@" >"$log" 2>&1; then
    echo "bench: failed: $* (log: $log)" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
  end=$(date +%s%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.4f\n", (e - s) / 1e9 }'
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
spread() { printf '%s\n' "$@" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%s..%s", lo, hi }'; }
calc() { awk "BEGIN { printf \"%.${2:-3}f\", $1 }"; }
value_of() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }

contract="$root/pipelines/weather/config/contract.yaml"
cairn() { ./build.sh --target=Package --workspace="$1" --raw="$2" "${@:3}"; }
# Snakemake's default ILP scheduler runs an external solver (cbc) between batches of jobs, which made its first run of
# the 4,388-job sample several times slower here; greedy is its advice for large DAGs. Kinder to the peer.
snake() {
  snakemake --snakefile "$root/bench/snakemake/Snakefile" --directory "$1" --cores 2 --scheduler greedy \
    --config raw="$2" contract="$contract" --quiet all
}

rows=()
details=()
# row FIGURE CAIRN PEER RATIO GOAL RESULT
row() { rows+=("$(printf '%-44s %-18s %-24s %-8s %-9s %s' "$1" "$2" "$3" "$4" "$5" "$6")"); }
verdict() { awk -v r="$1" -v g="$2" -v dir="$3" 'BEGIN { ok = (dir == "max") ? (r <= g) : (r >= g); print ok ? "holds" : "falls short" }'; }
detail() { details+=("$1"); }

# --- hashing throughput ------------------------------------------------------------------------------------------
# The bench tool alternates its own in-process pass with one xxhsum -H2 process over the same files, pair after pair
# (at least 7), and checks the digests agree; each ratio is the median of the pairs' ratios (> 1: Cairn is faster).
# CPU time (user + system) is the steadier figure when other work shares the machine.
echo "bench: hashing 1 GiB and 10,000 small files..."
hash_pairs=$((runs > 7 ? runs : 7))
big="$work/hash-1gib.bin"
if [[ ! -f $big || $(stat -c %s "$big") -ne 1073741824 ]]; then head -c 1073741824 /dev/urandom >"$big"; fi
small="$work/hash-10000x4k"
if [[ $(find "$small" -type f -size 4096c 2>/dev/null | wc -l) -ne 10000 ]]; then
  rm -rf "$small"
  mkdir -p "$small"
  python3 -c 'import os, sys
for i in range(10000):
    with open(os.path.join(sys.argv[1], "f%05d.bin" % i), "wb") as f: f.write(os.urandom(4096))' "$small"
fi
cat "$big" >/dev/null
"${bench_tool[@]}" hash "$big" "$hash_pairs" >"$logs/hash-big.txt"
"${bench_tool[@]}" hash "$small" "$hash_pairs" >"$logs/hash-small.txt"
h() { value_of "$1" "$logs/hash-$2.txt"; }
row "hashing 1 GiB in page cache, wall" "$(h cairn_gib_per_s big) GiB/s" "xxhsum -H2 $(h xxhsum_gib_per_s big) GiB/s" "$(h wall_ratio big)x" ">= 1.0x" "$(verdict "$(h wall_ratio big)" 1.0 min)"
row "hashing 1 GiB, CPU (user+sys) per GiB" "$(h cairn_cpu_s_per_gib big) s" "xxhsum -H2 $(h xxhsum_cpu_s_per_gib big) s" "$(h cpu_ratio big)x" ">= 1.0x" "$(verdict "$(h cpu_ratio big)" 1.0 min)"
row "hashing 10,000 files of 4 KiB, wall" "$(h cairn_us_per_file small) us/file" "xxhsum -H2 $(h xxhsum_us_per_file small) us/file" "$(h wall_ratio small)x" "-" "-"
detail "hashing: $hash_pairs alternating pairs (Cairn's pass in its process, then one xxhsum -H2 process; same digests), ratios the median of the pairs' (xxhsum time / Cairn time); 1 GiB wall Cairn $(h cairn_wall_s big) s, xxhsum $(h xxhsum_wall_s big) s, CPU Cairn $(h cairn_cpu_s big) s, xxhsum $(h xxhsum_cpu_s big) s; 10,000 x 4 KiB wall Cairn $(h cairn_wall_s small) s, xxhsum $(h xxhsum_wall_s small) s, CPU Cairn $(h cairn_cpu_s small) s, xxhsum $(h xxhsum_cpu_s small) s (CPU ratio $(h cpu_ratio small)x)"

# set_aside DIR...: moves workspaces out of the way; they are deleted after the table. On ext4 without a journal (this
# machine's root file system) creating inodes right after deleting many is slow (the allocator skips recently deleted
# inodes), which made each first run right after an rm -rf of the last one slower than the one before.
trash="$work/trash"
set_aside() { local d; for d in "$@"; do if [[ -e $d ]]; then mkdir -p "$trash"; mv "$d" "$trash/$(basename "$d").$$.$RANDOM"; fi; done; }

# --- decision cost: 10,000 input files vs 10 ----------------------------------------------------------------------
echo "bench: decision cost..."
declare -A decide_ms
for files in 10 10000; do
  dir="$work/decide-$files"
  rm -rf "$dir"
  "${bench_tool[@]}" pipeline "$dir" "$files" >/dev/null
  "${bench_tool[@]}" run "$dir" >"$logs/decide-$files-first.txt"
done
sleep 2.5 # past the stat cache's racy window, so the next run's readings are trusted from then on
samples_10=()
samples_10000=()
for files in 10 10000; do "${bench_tool[@]}" run "$work/decide-$files" >/dev/null; done
for _ in $(seq "$runs"); do
  for files in 10 10000; do
    "${bench_tool[@]}" run "$work/decide-$files" >"$logs/decide-$files.txt"
    if [[ $(value_of outcome "$logs/decide-$files.txt") != skipped ]]; then echo "bench: the $files-file stage did not skip" >&2; exit 1; fi
  done
  samples_10+=("$(value_of engine_ms "$logs/decide-10.txt")")
  samples_10000+=("$(value_of engine_ms "$logs/decide-10000.txt")")
done
decide_ms[10]=$(median "${samples_10[@]}")
decide_ms[10000]=$(median "${samples_10000[@]}")
ratio=$(calc "${decide_ms[10000]} / ${decide_ms[10]}" 2)
row "no-op decision, 10,000 vs 10 input files" "$(calc "${decide_ms[10000]}" 0) ms" "10 files: $(calc "${decide_ms[10]}" 0) ms" "${ratio}x" "<= 1.2x" "$(verdict "$ratio" 1.2 max)"
detail "decision cost: the engine's time (open, decide, finish) in a fresh process per run; 10 files $(spread "${samples_10[@]}") ms, 10,000 files $(spread "${samples_10000[@]}") ms"
"${bench_tool[@]}" decide "$work/decide-10000" >"$logs/decide-pieces.txt"
detail "decision pieces, 10,000 files (ms, first call in a fresh process / fastest warm call): $(awk '$1 != "inputs" { printf "%s%s %s/%s", sep, $1, $2, $3; sep = ", " }' "$logs/decide-pieces.txt")"

# --- first run of the full sample (and its peak memory) -------------------------------------------------------------
echo "bench: first runs ($first_runs each; Snakemake's take minutes)..."
ws="$work/ws-1461"
snk="$work/snk-1461"
cairn_first=()
cairn_after=()
snake_first=()
peak_kb=()
for _ in $(seq "$first_runs"); do
  set_aside "$ws" "$snk"
  cairn_first+=("$(timed "$logs/cairn-first.txt" /usr/bin/time -f "peak_kb %M" -o "$logs/cairn-first-memory.txt" ./build.sh --target=Package --workspace="$ws" --raw="$raw_all")")
  peak_kb+=("$(value_of peak_kb "$logs/cairn-first-memory.txt")")
  # Right after the run, before anything has aged: the stat cache must already vouch for what the run wrote.
  cairn_after+=("$(timed "$logs/cairn-after.txt" cairn "$ws" "$raw_all")")
  snake_first+=("$(timed "$logs/snake-first.txt" snake "$snk" "$raw_all")")
done
first_c=$(median "${cairn_first[@]}")
first_s=$(median "${snake_first[@]}")
ratio=$(calc "$first_c / $first_s" 3)
row "first run, full sample (1,461 days)" "$(calc "$first_c" 1) s" "Snakemake $(calc "$first_s" 1) s" "${ratio}x" "<= 0.1x" "$(verdict "$ratio" 0.1 max)"
detail "first run: Cairn $(spread "${cairn_first[@]}") s, Snakemake (--cores 2) $(spread "${snake_first[@]}") s"
peak_mb=$(calc "$(median "${peak_kb[@]}") / 1024" 0)
row "peak memory, full first run" "$peak_mb MB" "-" "-" "<= 400 MB" "$(verdict "$peak_mb" 400 max)"
detail "peak memory: max resident set of the largest process of ./build.sh (/usr/bin/time %M), $(spread "${peak_kb[@]}") KB"

# --- no-op re-run ----------------------------------------------------------------------------------------------------
echo "bench: no-op runs..."
sleep 2.5
timed "$logs/cairn-warm.txt" cairn "$ws" "$raw_all" >/dev/null
timed "$logs/snake-warm.txt" snake "$snk" "$raw_all" >/dev/null
cairn_noop=()
cairn_status=()
snake_noop=()
for _ in $(seq "$runs"); do
  cairn_noop+=("$(timed "$logs/cairn-noop.txt" cairn "$ws" "$raw_all")")
  cairn_status+=("$(timed "$logs/cairn-status.txt" ./build.sh --target=Status --workspace="$ws" --raw="$raw_all")")
  snake_noop+=("$(timed "$logs/snake-noop.txt" snake "$snk" "$raw_all")")
done
grep -q "Everything is up to date" "$logs/cairn-status.txt" || { echo "bench: Status found something to do (log: $logs/cairn-status.txt)" >&2; exit 1; }
grep -q "Package: skipped, up to date" "$logs/cairn-noop.txt" || { echo "bench: Cairn's no-op run ran something (log: $logs/cairn-noop.txt)" >&2; exit 1; }
noop_c=$(median "${cairn_noop[@]}")
noop_s=$(median "${snake_noop[@]}")
ratio=$(calc "$noop_c / $noop_s" 2)
row "no-op re-run, full sample" "$(calc "$noop_c" 2) s" "Snakemake $(calc "$noop_s" 2) s" "${ratio}x" "<= 0.5x" "$(verdict "$ratio" 0.5 max)"
detail "no-op: Cairn (./build.sh --target=Package) $(spread "${cairn_noop[@]}") s, Snakemake $(spread "${snake_noop[@]}") s"
after_c=$(median "${cairn_after[@]}")
ratio=$(calc "$after_c / $noop_c" 2)
row "first no-op right after a run vs later no-op" "$(calc "$after_c" 2) s" "later no-op $(calc "$noop_c" 2) s" "${ratio}x" "<= 1.2x" "$(verdict "$ratio" 1.2 max)"
detail "first no-op after a run: $(spread "${cairn_after[@]}") s, one right after each of the $first_runs first runs (what the run wrote is read again only if the stat cache cannot vouch for it)"
status_c=$(median "${cairn_status[@]}")
ratio=$(calc "$status_c / $noop_c" 2)
row "Status vs no-op, full sample" "$(calc "$status_c" 2) s" "no-op $(calc "$noop_c" 2) s" "${ratio}x" "<= 1.0x" "$(verdict "$ratio" 1.0 max)"
detail "Status (./build.sh --target=Status, up to date): $(spread "${cairn_status[@]}") s, each right after a no-op"

# --- one changed raw partition ----------------------------------------------------------------------------------------
echo "bench: one changed partition..."
changed="$raw_all/date=2013-05-03/seattle-weather.csv"
original=$(cat "$changed")
flip() {
  # Alternates the day's precipitation between its value and that plus 0.1: a real change, every time.
  if [[ $(cat "$changed") == "$original" ]]; then
    awk -F, -v OFS=, 'NR == 2 { $2 = sprintf("%.1f", $2 + 0.1) } { print }' <<<"$original" >"$changed"
  else
    printf '%s\n' "$original" >"$changed"
  fi
}
cairn_changed=()
snake_changed=()
for _ in $(seq "$runs"); do
  flip
  cairn_changed+=("$(timed "$logs/cairn-changed.txt" cairn "$ws" "$raw_all")")
  snake_changed+=("$(timed "$logs/snake-changed.txt" snake "$snk" "$raw_all")")
done
if [[ $(cat "$changed") != "$original" ]]; then printf '%s\n' "$original" >"$changed"; fi
grep -q "Ingest date=2013-05-03: run, input changed" "$logs/cairn-changed.txt" || { echo "bench: Cairn did not see the changed partition (log: $logs/cairn-changed.txt)" >&2; exit 1; }
changed_c=$(median "${cairn_changed[@]}")
changed_s=$(median "${snake_changed[@]}")
ratio=$(calc "$changed_c / $changed_s" 2)
row "one changed raw partition" "$(calc "$changed_c" 2) s" "Snakemake $(calc "$changed_s" 2) s" "${ratio}x" "<= 0.5x" "$(verdict "$ratio" 0.5 max)"
detail "changed partition: Cairn $(spread "${cairn_changed[@]}") s, Snakemake $(spread "${snake_changed[@]}") s (each reruns the day's 3 cells and the 4 whole-dataset stages)"

# --- no-op growth from 365 to 1,461 partitions -------------------------------------------------------------------------
echo "bench: no-op growth..."
ws365="$work/ws-365"
set_aside "$ws365"
timed "$logs/cairn-first-365.txt" cairn "$ws365" "$raw_365" >/dev/null
sleep 2.5
timed "$logs/cairn-warm-365.txt" cairn "$ws365" "$raw_365" >/dev/null
noop_365=()
noop_1461=()
for _ in $(seq "$runs"); do
  noop_365+=("$(timed "$logs/cairn-noop-365.txt" cairn "$ws365" "$raw_365")")
  noop_1461+=("$(timed "$logs/cairn-noop.txt" cairn "$ws" "$raw_all")")
done
per_cell=$(calc "($(median "${noop_1461[@]}") - $(median "${noop_365[@]}")) * 1000 / (3 * (1461 - 365))" 3)
row "no-op growth per up-to-date cell" "$per_cell ms" "-" "-" "<= 0.2 ms" "$(verdict "$per_cell" 0.2 max)"
detail "no-op growth: 365 days $(spread "${noop_365[@]}") s, 1,461 days $(spread "${noop_1461[@]}") s; (difference) / (3 stages x 1,096 days)"

# --- parallelism ------------------------------------------------------------------------------------------------------------
echo "bench: parallelism..."
wsp="$work/ws-parallel"
set_aside "$wsp"
if cairn "$wsp" "$raw_all" --parallelism=1 >"$logs/cairn-parallel-probe.txt" 2>&1; then
  p1=()
  p2=()
  # A ratio of two ~3 s runs moves by 0.05 from one run to the next here: at least 7 alternated pairs (as the
  # hashing pairs), each first run in a fresh workspace (the last one moved aside, not deleted), the ratio the median
  # of the pairs'.
  parallel_pairs=$((first_runs > 7 ? first_runs : 7))
  for _ in $(seq "$parallel_pairs"); do
    set_aside "$wsp"
    p1+=("$(timed "$logs/cairn-p1.txt" cairn "$wsp" "$raw_all" --parallelism=1)")
    set_aside "$wsp"
    p2+=("$(timed "$logs/cairn-p2.txt" cairn "$wsp" "$raw_all" --parallelism=2)")
  done
  pair_ratios=()
  for i in "${!p1[@]}"; do pair_ratios+=("$(calc "${p2[$i]} / ${p1[$i]}" 4)"); done
  ratio=$(calc "$(median "${pair_ratios[@]}")" 2)
  row "first run, --parallelism=2 vs =1" "$(calc "$(median "${p2[@]}")" 1) s" "=1: $(calc "$(median "${p1[@]}")" 1) s" "${ratio}x" "<= 0.65x" "$(verdict "$ratio" 0.65 max)"
  detail "parallelism: $parallel_pairs alternated pairs, the ratio the median of the pairs' (=2 time / =1 time, $(spread "${pair_ratios[@]}")); =1 $(spread "${p1[@]}") s, =2 $(spread "${p2[@]}") s"
else
  row "first run, --parallelism=2 vs =1" "not available" "-" "-" "<= 0.65x" "not available"
  detail "parallelism: the engine rejects --parallelism: $(grep -m1 -i parallelism "$logs/cairn-parallel-probe.txt" | sed 's/^ *//')"
fi

# --- where a no-op's time goes ------------------------------------------------------------------------------------------
echo "bench: no-op breakdown..."
cake_dll=$(ls "${NUGET_PACKAGES:-$HOME/.nuget/packages}"/cake.tool/*/tools/*/any/Cake.dll 2>/dev/null | head -1)
version_bootstrap=()
version_cake=()
engine_only=()
open_only=()
for _ in $(seq "$runs"); do
  version_bootstrap+=("$(timed "$logs/version-bootstrap.txt" ./build.sh --version)")
  version_cake+=("$(timed "$logs/version-cake.txt" dotnet "$cake_dll" --version)")
  "${bench_tool[@]}" sample "$root" "$ws" "$raw_all" >"$logs/engine-sample.txt"
  engine_only+=("$(value_of engine_ms "$logs/engine-sample.txt")")
  open_only+=("$(value_of open_ms "$logs/engine-sample.txt")")
done
b_total=$(calc "$(median "${cairn_noop[@]}" "${noop_1461[@]}") * 1000" 0)
b_boot=$(calc "($(median "${version_bootstrap[@]}") - $(median "${version_cake[@]}")) * 1000" 0)
b_cake=$(calc "$(median "${version_cake[@]}") * 1000" 0)
b_engine=$(calc "$(median "${engine_only[@]}")" 0)
b_open=$(calc "$(median "${open_only[@]}")" 0)
b_script=$(calc "$b_total - $b_boot - $b_cake - $b_engine" 0)

rm -rf "$trash"

# --- the table ------------------------------------------------------------------------------------------------------------
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
echo
echo "Cairn benchmarks ($(date -u +%Y-%m-%d), $(nproc) cores; load average before $load_before, after $load_after)"
printf '%-44s %-18s %-24s %-8s %-9s %s\n' "figure" "Cairn" "peer" "ratio" "goal" "result"
printf '%s\n' "${rows[@]}"
echo
echo "No-op breakdown (1,461 days, medians; ms): total $b_total = bash bootstrap $b_boot + .NET and Cake startup $b_cake" \
  "+ script load and Cake's task loop $b_script + engine $b_engine (measured alone; of which opening the run $b_open)"
echo
echo "Details ($runs runs per figure, $first_runs per first-run figure; peer: Snakemake $snakemake_version, $xxhsum_version):"
printf '  %s\n' "${details[@]}"

if [[ $micro -eq 1 ]]; then
  echo
  echo "bench: micro-benchmarks (BenchmarkDotNet)..."
  dotnet build bench/Cairn.Benchmarks/Cairn.Benchmarks.csproj -c Release --nologo -v quiet -clp:ErrorsOnly >"$logs/build-benchmarks.log" 2>&1 \
    || { cat "$logs/build-benchmarks.log" >&2; exit 1; }
  export CAIRN_BENCH_ARTIFACTS="$work/benchmarkdotnet"
  rm -rf "$CAIRN_BENCH_ARTIFACTS"
  dotnet "$root/.build/bin/Cairn.Benchmarks/release/Cairn.Benchmarks.dll" --filter '*' >"$logs/benchmarkdotnet.txt" 2>&1 \
    || { tail -n 30 "$logs/benchmarkdotnet.txt" >&2; exit 1; }
  for report in "$CAIRN_BENCH_ARTIFACTS"/results/*-report-github.md; do
    echo
    sed -n '/^| Method/,$p' "$report"
  done
fi
