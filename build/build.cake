// The sample pipeline's DAG. Thin on purpose: Cake orders the targets, Cairn (tasks/Cairn.Tasks) decides
// what in each stage is stale, runs it and checkpoints it. Arguments: see README.md.
#r "../.build/bin/Cairn.Pipelines.Weather/release/Cairn.Tasks.dll"

using Cairn;

var target = Argument("target", "Package");
CairnSession cairn = null;

Task("Ingest")
    .Description("Raw CSV -> typed, normalized file per day")
    .Does(() => cairn.RunStage("Ingest"));

Task("Validate")
    .Description("Check each day against the data contract; write its profile")
    .IsDependentOn("Ingest")
    .Does(() => cairn.RunStage("Validate"));

Task("Clean")
    .Description("Quarantine bad rows with a reason; derive features")
    .IsDependentOn("Validate")
    .Does(() => cairn.RunStage("Clean"));

Task("Train")
    .Description("Fit the rain model on the selected days")
    .IsDependentOn("Clean")
    .Does(() => cairn.RunStage("Train"));

Task("Evaluate")
    .Description("Score the model on the held-out days; fail below the thresholds")
    .IsDependentOn("Train")
    .Does(() => cairn.RunStage("Evaluate"));

Task("Report")
    .Description("Write reports/report.md: metrics, data quality, the DAG")
    .IsDependentOn("Evaluate")
    .Does(() => cairn.RunStage("Report"));

Task("Package")
    .Description("Content-addressed artifacts/model-<hash>/ with its manifest")
    .IsDependentOn("Report")
    .Does(() => cairn.RunStage("Package"));

// Targets that run no stage: they read checkpoints and the run log (.cairn/runs.db) and write only reports/dag.*.
Task("Status")
    .Description("What is stale and why, without running anything (--format=json, --check exits 1 when stale)")
    .Does(() => cairn.Status());

Task("History")
    .Description("The last runs from the run log (--limit=N), or one run's cells (--run=ID)")
    .Does(() => cairn.History());

Task("Health")
    .Description("Per stage over the last runs (--limit=N): success rate, durations, retries, rows")
    .Does(() => cairn.Health());

Task("Graph")
    .Description("The DAG as reports/dag.mmd, reports/dag.dot and, with Graphviz, reports/dag.svg")
    .Does(() => cairn.Graph());

// Validate the target, the pipeline and every argument together before any stage runs: a usage error exits 2.
try
{
    cairn = CairnSession.Open(
        repositoryRoot: MakeAbsolute(Directory("..")).FullPath,
        pipelineFile: "pipelines/weather/pipeline.yaml",
        target: target,
        arguments: Context.Arguments.GetArguments().ToDictionary(a => a.Key, a => (IReadOnlyList<string>)a.Value.ToList()),
        targetGraph: Tasks.ToDictionary(t => t.Name, t => (IReadOnlyList<string>)t.Dependencies.Select(d => d.Name).ToList()));
}
catch (CairnUsageException e)
{
    Error(e.Message);
    System.Environment.Exit(CairnUsageException.ExitCode);
}

// Cake reports its task table; Cairn prints the run's summary and decides the exit code
// (0 ok, 1 a stage failed, 2 usage, 130/143 interrupted by SIGINT/SIGTERM).
Exception failure = null;
try
{
    RunTarget(target);
}
catch (Exception e)
{
    failure = e.InnerException ?? e;
}

var exitCode = cairn.Finish(failure);
cairn.Dispose();
System.Environment.Exit(exitCode);
