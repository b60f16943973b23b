namespace Cairn.Service.Api;

/// <summary>Every endpoint of the service, in the order the README lists them.</summary>
internal static class ApiRoutes
{
    private static readonly ApiParameter Pipeline = new("pipeline", "query", "the pipeline, by name (needed only when the service runs several)");

    public static readonly IReadOnlyList<ApiRoute> All =
    [
        new("POST", "/api/runs", "Queue a run: a target, a partition range, --set overrides, a run token. Answers the run's id; a request like one already queued joins it.", [], new Dictionary<int, string>
        {
            [202] = "queued (or joined a queued run: merged is true); Location is the run",
            [400] = "the body is not JSON, or names an unknown pipeline, target or field, or partitions the pipeline does not have (problem details)",
            [409] = "the run token was used before; the answer names that run",
        })
        {
            Body =
            [
                new("pipeline", "body", "the pipeline's name; may be left out when the service runs one"),
                new("target", "body", "the stage to run with the stages it needs; default: every stage"),
                new("partition", "body", "one partition, a key of the pipeline's grain: YYYY-MM-DDTHH, YYYY-MM-DD or YYYY-MM"),
                new("from", "body", "the first partition of a range, a key of the pipeline's grain"),
                new("to", "body", "the last partition of a range (inclusive), a key of the pipeline's grain"),
                new("set", "body", "parameter overrides, each Stage.name=value, as --set (a list)"),
                new("force", "body", "true to re-run every stage, or a list of stages, as --force"),
                new("token", "body", "a run token: a second request with the same token is refused with 409"),
            ],
        },
        new("GET", "/api/runs", "The latest runs, newest first: queued, running and finished, with their trigger and cell counts.", [new("limit", "query", "how many (default 50, at most 1000)"), Pipeline], new Dictionary<int, string> { [200] = "the runs", [400] = "a bad limit or pipeline" }),
        new("GET", "/api/runs/{id}", "One run with its stages, its cells (decision, reason, status, duration, rows) and its attempts.", [new("id", "path", "the run's id", Required: true), new("cells", "query", "at most this many cells (default all)")], new Dictionary<int, string> { [200] = "the run", [400] = "a bad cells", [404] = "no such run" }),
        new("GET", "/api/runs/{id}/log", "The run's log: every decision with its reason, and the summary.", [new("id", "path", "the run's id", Required: true)], new Dictionary<int, string> { [200] = "the log", [404] = "no such run, or no log" }) { Produces = "text/plain" },
        new("GET", "/api/cells/log", "A cell's log, from the last run that ran it.", [Pipeline, new("stage", "query", "the stage", Required: true), new("partition", "query", "the partition's key, for a partitioned stage")], new Dictionary<int, string> { [200] = "the log", [400] = "an unknown stage or a bad partition key", [404] = "the cell has not run" }) { Produces = "text/plain" },
        new("GET", "/api/status", "The Status document (format cairn-status, as --target=Status --format=json prints it): every stale cell with its causes.", [Pipeline], new Dictionary<int, string> { [200] = "the document", [400] = "an unknown pipeline" }),
        new("GET", "/api/health", "Whether the service is up: its version, its pipelines, the queue, and the scheduler (running or standby, its jobs, each schedule's next fire).", [], new Dictionary<int, string> { [200] = "up" }),
        new("GET", "/api/pipelines", "The pipelines with their partitions (key and grain), their stages and the data flow between them (the DAG).", [], new Dictionary<int, string> { [200] = "the pipelines" }),
        new("GET", "/api/trends", "Per stage over the latest runs: the time its cells took and the rows they read.", [Pipeline, new("limit", "query", "how many runs (default 30, at most 1000)")], new Dictionary<int, string> { [200] = "the trends", [400] = "a bad limit or pipeline" }),
        new("GET", "/api/schedules", "The schedules with their next fire times and whether they are paused.", [], new Dictionary<int, string> { [200] = "the schedules" }),
        new("POST", "/api/schedules/{name}/pause", "Pause a schedule: it starts no run until resumed.", [new("name", "path", "the schedule", Required: true), Pipeline], new Dictionary<int, string> { [200] = "the schedule, paused", [404] = "no such schedule" }),
        new("POST", "/api/schedules/{name}/resume", "Resume a paused schedule (a cron schedule does not run the fires it skipped).", [new("name", "path", "the schedule", Required: true), Pipeline], new Dictionary<int, string> { [200] = "the schedule, running", [404] = "no such schedule" }),
        new("POST", "/api/schedules/reload", "Read the pipeline files again and apply their schedules, as SIGHUP does; answers what changed.", [], new Dictionary<int, string> { [200] = "what changed", [400] = "a pipeline file cannot be used; nothing changed" }),
        new("GET", "/api/reviews", "The reviews of cells stopped at a gate (review_on:), pending first, each with the commands that approve or reject it; as --target=Reviews lists them.", [Pipeline], new Dictionary<int, string> { [200] = "the reviews", [400] = "an unknown pipeline" }),
        new("GET", "/api/events", "Server-Sent Events of runs (queued, running, finished), stages, cells, schedules and arrivals.", [], new Dictionary<int, string> { [200] = "the stream" }) { Produces = "text/event-stream" },
        new("GET", "/metrics", "Prometheus text format: runs by status, cell durations, retries, rows processed, last success per pipeline, the queue.", [], new Dictionary<int, string> { [200] = "the metrics" }) { Produces = "text/plain; version=0.0.4" },
        new("GET", "/openapi.json", "This API as an OpenAPI 3.0 document.", [], new Dictionary<int, string> { [200] = "the document" }),
        new("GET", "/", "The dashboard.", [], new Dictionary<int, string> { [200] = "the page" }) { Produces = "text/html" },
    ];
}
