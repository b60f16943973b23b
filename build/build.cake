// The sample pipeline's DAG. Thin on purpose: Cake orders the targets, Cairn (tasks/Cairn.Tasks) decides
// what in each stage is stale, runs it and checkpoints it. Arguments: see README.md.
#r "../.build/bin/Cairn.Pipelines.Weather/release/Cairn.Tasks.dll"
#load "serve.cake"

using Cairn;

var target = Argument("target", "Package");
CairnSession cairn = null;

Task("Ingest")
    .Description("Raw CSV -> typed, normalized file per day")
    .Does(() => cairn.Step(s => s.RunStage("Ingest")));

Task("Validate")
    .Description("Check each day against the data contract; write its profile")
    .IsDependentOn("Ingest")
    .Does(() => cairn.Step(s => s.RunStage("Validate")));

Task("Clean")
    .Description("Quarantine bad rows with a reason; derive features")
    .IsDependentOn("Validate")
    .Does(() => cairn.Step(s => s.RunStage("Clean")));

Task("Train")
    .Description("Fit the rain model on the selected days")
    .IsDependentOn("Clean")
    .Does(() => cairn.Step(s => s.RunStage("Train")));

Task("Evaluate")
    .Description("Score the model on the held-out days; fail below the thresholds")
    .IsDependentOn("Train")
    .Does(() => cairn.Step(s => s.RunStage("Evaluate")));

Task("Report")
    .Description("Write reports/report.md: metrics, data quality, the DAG")
    .IsDependentOn("Evaluate")
    .Does(() => cairn.Step(s => s.RunStage("Report")));

Task("Package")
    .Description("Content-addressed artifacts/model-<hash>/ with its manifest")
    .IsDependentOn("Report")
    .Does(() => cairn.Step(s => s.RunStage("Package")));

// Targets that run no stage: they read checkpoints and the run log (.cairn/runs.db) and write only reports/dag.*.
Task("Status")
    .Description("What is stale and why, without running anything (--format=json, --check exits 1 when stale)")
    .Does(() => cairn.Step(s => s.Status()));

Task("History")
    .Description("The last runs from the run log (--limit=N), or one run's cells (--run=ID)")
    .Does(() => cairn.Step(s => s.History()));

Task("Health")
    .Description("Per stage over the last runs (--limit=N): success rate, durations, retries, rows")
    .Does(() => cairn.Step(s => s.Health()));

Task("Graph")
    .Description("The DAG as reports/dag.mmd, reports/dag.dot and, with Graphviz, reports/dag.svg")
    .Does(() => cairn.Step(s => s.Graph()));

Task("Help")
    .Description("Cairn's targets and arguments (this text)")
    .Does(() => cairn.Step(s => s.Help(Tasks.ToDictionary(t => t.Name, t => t.Description ?? ""))));

// The Cairn service (issue 14): schedules, triggers, the HTTP API and the dashboard; a process of its own (serve.cake).
Task("Serve")
    .Description("Run the Cairn service in the foreground: schedules, triggers, the HTTP API and dashboard (--urls=)")
    .Does(() => System.Environment.Exit(ServeCairn(MakeAbsolute(Directory("..")).FullPath, MakeAbsolute(Directory("../.build/bin/Cairn.Pipelines.Weather/release")).FullPath)));

// Cake keeps its own switches (--dryrun, --tree, --verbosity, ...) from the script: read them from the command line.
var commandLine = System.Environment.GetCommandLineArgs().Skip(1).Select(a => a.Split('=', 2)).ToList();
bool Given(params string[] names) =>
    commandLine.Any(a => names.Contains(a[0]) && (a.Length == 1 || !string.Equals(a[1], "false", StringComparison.OrdinalIgnoreCase)));

// --dryrun, --tree and --description run no task's action: Cairn checks the arguments but begins no run, so nothing
// is recorded and the workspace is not taken. A dry run's listing is Cake's log at Normal: show it unless the user
// chose a verbosity (cake.config makes Minimal the default, which keeps Cake's banner per task off).
var dryRun = Given("--dryrun", "--noop", "--whatif");
var cakeRunsTasks = !dryRun && !Given("--tree", "--showtree", "--description", "--descriptions", "--showdescription", "--showdescriptions");
if (dryRun && !Given("--verbosity", "-v"))
{
    Context.Log.Verbosity = Verbosity.Normal;
}

// Serve checks its own arguments (the service takes --urls and more), so no run session opens for it.
if (string.Equals(target, "Serve", StringComparison.OrdinalIgnoreCase))
{
    RunTarget(target);
    System.Environment.Exit(0);
}

// Validate the target, the pipeline and every argument together before any stage runs: a usage error exits 2.
try
{
    cairn = CairnSession.Open(
        repositoryRoot: MakeAbsolute(Directory("..")).FullPath,
        pipelineFile: "pipelines/weather/pipeline.yaml",
        target: target,
        arguments: Context.Arguments.GetArguments().ToDictionary(a => a.Key, a => (IReadOnlyList<string>)a.Value.ToList()),
        targetGraph: Tasks.ToDictionary(t => t.Name, t => (IReadOnlyList<string>)t.Dependencies.Select(d => d.Name).ToList()),
        runsTasks: cakeRunsTasks);
}
catch (CairnUsageException e)
{
    System.Environment.Exit(CairnSession.WriteUsageError(e));
}

// With --format=json stdout carries the document alone; Cake's banner for a task (written there) stays off.
if (cairn.StandardOutputIsDocument && Context.Log.Verbosity > Verbosity.Minimal)
{
    Context.Log.Verbosity = Verbosity.Minimal;
}

// Each step keeps its failure for Finish (thrown into Cake, it would add Cake's own error banner); Cairn prints the
// run's summary and decides the exit code (0 ok, 1 a stage failed or --check found stale cells, 2 usage, 130/143
// interrupted by SIGINT/SIGTERM).
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
