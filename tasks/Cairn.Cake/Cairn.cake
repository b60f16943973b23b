// Cairn's targets for a Cake script (package Cairn.Cake). A script loads this file with
//   #load nuget:?package=Cairn.Cake&version=<version>
// then may add tasks of its own, and ends with RunCairn(). Loading it chooses the pipeline (--pipeline=NAME, or the
// repository's only one: pipelines/NAME/pipeline.yaml; the repository is the nearest folder at or above the script's
// that holds pipelines/, else the folder above the script's) and defines
// one target per stage, in data-flow order, with the description from the pipeline file and a dependency on each
// stage it reads from, then Cairn's own targets, which run no stage. The engine (Cairn.Tasks) sits in this package.
#r "../lib/net10.0/Cairn.Tasks.dll"

using Cairn;

// Cake keeps its own switches (--dryrun, --tree, --verbosity, ...) from the script: read them from the command line.
var cairnCommandLine = System.Environment.GetCommandLineArgs().Skip(1).Select(a => a.Split('=', 2)).ToList();
bool CairnGiven(params string[] names) =>
    cairnCommandLine.Any(a => names.Contains(a[0]) && (a.Length == 1 || !string.Equals(a[1], "false", StringComparison.OrdinalIgnoreCase)));

var cairnArguments = Context.Arguments.GetArguments().ToDictionary(a => a.Key, a => (IReadOnlyList<string>)a.Value.ToList());
string CairnRepository()
{
    for (var folder = Context.Environment.WorkingDirectory; folder is not null; folder = folder.GetParent())
    {
        if (System.IO.Directory.Exists(folder.Combine("pipelines").FullPath))
        {
            return folder.FullPath;
        }
    }

    return Context.Environment.WorkingDirectory.Combine("..").Collapse().FullPath;
}

var cairnRepository = CairnRepository();

// Serve runs the Cairn service (tools/service/ in this package): an ASP.NET Core program, which this Cake process cannot
// host (its runtime has no ASP.NET Core), in the foreground. It finds and checks the pipelines itself (every one under
// pipelines/ unless --pipeline names some), so no pipeline is chosen here. Every --name=value argument but Cake's own
// goes on to it; SIGINT and SIGTERM go on to it; its exit code is the script's.
int CairnServe()
{
    var service = System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(typeof(CairnSession).Assembly.Location), "..", "..", "tools", "service", "Cairn.Service.dll"));
    if (!System.IO.File.Exists(service))
    {
        System.Console.Error.WriteLine($"{service} is missing: the Cairn.Cake package is incomplete; clear its folder under .build/cake/tools and run again.");
        return 2;
    }

    var cakeOwn = new[] { "target", "t", "verbosity", "v", "exclusive", "e", "settings_skipverification", "settings_noreport", "settings_enablescriptcache", "invalidate-script-cache" };
    var start = new System.Diagnostics.ProcessStartInfo("dotnet") { UseShellExecute = false };
    start.ArgumentList.Add(service);
    start.ArgumentList.Add("--repository=" + cairnRepository);
    foreach (var argument in Context.Arguments.GetArguments().Where(a => !cakeOwn.Contains(a.Key, StringComparer.OrdinalIgnoreCase)))
    {
        foreach (var value in argument.Value)
        {
            start.ArgumentList.Add(value is null ? $"--{argument.Key}" : $"--{argument.Key}={value}");
        }
    }

    using var process = System.Diagnostics.Process.Start(start);
    void Forward(System.Runtime.InteropServices.PosixSignalContext context, string signal)
    {
        context.Cancel = true;
        if (OperatingSystem.IsWindows())
        {
            return; // The service shares the console and gets Ctrl+C itself.
        }

        try
        {
            System.Diagnostics.Process.Start("kill", $"-{signal} {process.Id}")?.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No kill command: the service still stops when its terminal's Ctrl+C reaches it.
        }
    }

    using var interrupt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, c => Forward(c, "INT"));
    using var terminate = OperatingSystem.IsWindows() ? null : System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => Forward(c, "TERM"));
    process.WaitForExit();
    return process.ExitCode;
}

if (string.Equals(Argument("target", ""), "Serve", StringComparison.OrdinalIgnoreCase) && !CairnGiven("--tree", "--showtree", "--description", "--descriptions", "--showdescription", "--showdescriptions", "--dryrun", "--noop", "--whatif"))
{
    System.Environment.Exit(CairnServe());
}
CairnSession cairn = null;
CairnPipeline cairnPipeline = null;
try
{
    cairnPipeline = CairnPipeline.Select(cairnRepository, cairnArguments);
}
catch (CairnUsageException e)
{
    System.Environment.Exit(CairnSession.WriteUsageError(e));
}

var cairnTarget = Argument("target", cairnPipeline.DefaultTarget);
var cairnStageTasks = new Dictionary<string, CakeTaskBuilder>(StringComparer.Ordinal);
foreach (var cairnStage in cairnPipeline.Stages)
{
    var name = cairnStage.Name;
    var stageTask = Task(name).Description(cairnStage.Description).Does(() => cairn.Step(s => s.RunStage(name)));
    foreach (var upstream in cairnStage.DependsOn)
    {
        stageTask.IsDependentOn(upstream);
    }

    cairnStageTasks[name] = stageTask;
}

// Targets that run no stage: they read checkpoints and the run log (.cairn/runs.db) and write only reports/dag.* and
// (Rollback) artifacts/LATEST and (Export) the exported DAG, except Prune, which removes old runs from the run log and
// their logs.
Task("Status")
    .Description("What is stale and why, without running anything (--format=json, --check exits 1 when stale)")
    .Does(() => cairn.Step(s => s.Status()));

Task("History")
    .Description("The last runs from the run log (--limit=N), or one run's cells (--run=ID)")
    .Does(() => cairn.Step(s => s.History()));

Task("Health")
    .Description("Per stage over the last runs (--limit=N): success rate, durations, retries, rows")
    .Does(() => cairn.Step(s => s.Health()));

Task("Prune")
    .Description("Removes the runs older than the newest keep_runs (pipeline file) from the run log, with their logs; then VACUUM")
    .Does(() => cairn.Step(s => s.Prune()));

Task("Graph")
    .Description("The DAG as reports/dag.mmd, reports/dag.dot and, with Graphviz, reports/dag.svg")
    .Does(() => cairn.Step(s => s.Graph()));

Task("Rollback")
    .Description("Point artifacts/LATEST back at an earlier version (--to=HASH, a prefix of its hash)")
    .Does(() => cairn.Step(s => s.Rollback()));

Task("Reviews")
    .Description("Reviews of cells stopped at a gate (a stage's review_on: codes), pending first")
    .Does(() => cairn.Step(s => s.Reviews()));

Task("Approve")
    .Description("Approve a review (--review=ID --reason=\"...\" [--by=NAME]): the next run passes the gate for exactly what was judged")
    .Does(() => cairn.Step(s => s.Approve()));

Task("Reject")
    .Description("Reject a review (--review=ID --reason=\"...\" [--by=NAME]): the gate stays shut for it")
    .Does(() => cairn.Step(s => s.Reject()));

Task("Verify")
    .Description("Check the evidence ledger (.cairn/governance/ledger.jsonl): names the first entry changed, removed or reordered")
    .Does(() => cairn.Step(s => s.Verify()));

Task("Lineage")
    .Description("What produced a package version (--artifact=HASH): its run, its files' and inputs' hashes, parameters, approvals")
    .Does(() => cairn.Step(s => s.Lineage()));

Task("Export")
    .Description("The DAG for Airflow or GitHub Actions (--format=airflow|github-actions, --output=FILE): one task per target and partition range")
    .Does(() => cairn.Step(s => s.Export()));

Task("Serve")
    .Description("Run the Cairn service in the foreground: schedules, triggers, the HTTP API and dashboard (--urls=)")
    .Does(() => System.Environment.Exit(CairnServe()));

Task("Help")
    .Description("Cairn's targets and arguments (this text)")
    .Does(() => cairn.Step(s => s.Help(Tasks.ToDictionary(t => t.Name, t => t.Description ?? ""))));

/// <summary>
/// Each task and the tasks it waits for: its dependencies, and the tasks that named it as their dependee
/// (Stage("ValidationSummary").IsDependeeOf("Package") makes Package wait for ValidationSummary).
/// </summary>
IReadOnlyDictionary<string, IReadOnlyList<string>> CairnTargetGraph()
{
    var graph = Tasks.ToDictionary(t => t.Name, t => t.Dependencies.Select(d => d.Name).ToList(), StringComparer.OrdinalIgnoreCase);
    foreach (var task in Tasks)
    {
        foreach (var dependee in task.Dependees)
        {
            if (graph.TryGetValue(dependee.Name, out var waits) && !waits.Contains(task.Name))
            {
                waits.Add(task.Name);
            }
        }
    }

    return graph.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal);
}

/// <summary>Whether the pipeline the run reads has the stage: a script shared by pipelines ties its own tasks to the stages there are.</summary>
bool HasStage(string name) => cairnStageTasks.ContainsKey(name);

/// <summary>The task of a stage's target, to make it depend on a task of the script's own: Stage("Ingest").IsDependentOn("Download").</summary>
CakeTaskBuilder Stage(string name) =>
    cairnStageTasks.TryGetValue(name, out var stageTask)
        ? stageTask
        : throw new ArgumentException($"Stage(\"{name}\"): {cairnPipeline.File} has no stage '{name}'; its stages are {string.Join(", ", cairnStageTasks.Keys)}.", nameof(name));

/// <summary>
/// Runs the chosen target (--target, else the pipeline's default target) with Cairn and ends the process with Cairn's
/// exit code: 0 ok, 1 a stage or a task failed (or Status --check found stale cells), 2 usage, 130/143 interrupted.
/// </summary>
void RunCairn()
{
    // --dryrun, --tree and --description run no task's action: Cairn checks the arguments but begins no run, so nothing
    // is recorded and the workspace is not taken. A dry run's listing is Cake's log at Normal: show it unless the user
    // chose a verbosity (cake.config makes Minimal the default, which keeps Cake's banner per task off).
    var dryRun = CairnGiven("--dryrun", "--noop", "--whatif");
    var runsTasks = !dryRun && !CairnGiven("--tree", "--showtree", "--description", "--descriptions", "--showdescription", "--showdescriptions");
    if (dryRun && !CairnGiven("--verbosity", "-v"))
    {
        Context.Log.Verbosity = Verbosity.Normal;
    }

    // Validate the target, the stages' tasks and every argument together before any stage runs: a usage error exits 2.
    try
    {
        cairn = CairnSession.Open(
            cairnPipeline,
            cairnTarget,
            cairnArguments,
            CairnTargetGraph(),
            runsTasks: runsTasks);
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
    // run's summary and decides the exit code.
    Exception failure = null;
    try
    {
        RunTarget(cairnTarget);
    }
    catch (Exception e)
    {
        failure = e.InnerException ?? e;
    }

    var exitCode = cairn.Finish(failure);
    cairn.Dispose();
    System.Environment.Exit(exitCode);
}
