using System.Text.Json;
using Cairn.Tests.CommandLine;
using Cairn.Tests.Reliability;
using Cairn.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Cairn.Tests.Exporting;

/// <summary>
/// <c>./build.sh --target=Export</c> through the real script: the Airflow DAG file parsed with Python's <c>ast</c>, its
/// tasks and <c>a &gt;&gt; b</c> edges checked against the pipeline's, and its commands, rendered with Jinja as Airflow
/// renders them, run in dependency order for one day, ending where a direct backfill of that day ends; the GitHub
/// Actions workflow parsed with YamlDotNet, its jobs and <c>needs:</c> checked against the pipeline's edges; the
/// usage errors; and a hand-written file at <c>--output</c> left alone.
/// </summary>
[Collection(BuildScriptRuns.Name)]
public sealed class ExportCommandLineTests
{
    // Every 12th day over the four years: enough for the evaluation gate to hold, few enough to build twice.
    private const int Days = 122;
    private const int Step = 12;
    private const string NeedsJinja = "needs python3 with jinja2 (Airflow's template engine): apt-get install python3-jinja2";

    /// <summary>
    /// Reads the DAG file as Airflow's scheduler would parse it (but without Airflow): every BashOperator's task_id and
    /// bash_command rendered with Jinja for the data interval of the day given, and each <c>a &gt;&gt; b</c> as a pair of
    /// task ids. Prints them as JSON.
    /// </summary>
    private const string ReadDag = """
        import ast, datetime, json, sys
        import jinja2
        tree = ast.parse(open(sys.argv[1]).read(), sys.argv[1])
        day = datetime.datetime.strptime(sys.argv[2], "%Y-%m-%d").replace(tzinfo=datetime.timezone.utc)
        context = {"ds": day.strftime("%Y-%m-%d"), "data_interval_start": day, "data_interval_end": day + datetime.timedelta(days=1)}
        tasks, names, edges, imports = [], {}, [], []
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                imports += [node.module + "." + a.name for a in node.names]
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and getattr(node.value.func, "id", None) == "BashOperator":
                keywords = {k.arg: k.value for k in node.value.keywords}
                task = {"task_id": keywords["task_id"].value, "command": jinja2.Template(keywords["bash_command"].value).render(**context), "cwd": ast.unparse(keywords["cwd"])}
                names[node.targets[0].id] = task["task_id"]
                tasks.append(task)
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.RShift):
                edges.append([node.left.id, node.right.id])
        dags = [k.value.value for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "DAG" for k in n.keywords if k.arg == "schedule"]
        print(json.dumps({"imports": imports, "schedule": dags, "tasks": tasks, "edges": [[names[a], names[b]] for a, b in edges]}))
        """;

    // Through the shell: on a machine with only the .NET SDK there is no python3 to start, and the test is skipped.
    private static bool JinjaInstalled => Processes.Run("/bin/sh", ["-c", "command -v python3 >/dev/null && python3 -c 'import jinja2'"], Repository.Root).ExitCode == 0;

    /// <summary>The sample's edges: the data flow of its pipeline file, and the script's ValidationSummary before Package.</summary>
    private static HashSet<(string, string)> SampleEdges()
    {
        var pipeline = CairnPipeline.Select(Repository.Root, new Dictionary<string, IReadOnlyList<string>>());
        var edges = pipeline.Stages.SelectMany(s => s.DependsOn.Select(d => (d, s.Name))).ToHashSet();
        edges.Add(("ValidationSummary", "Package"));
        return edges;
    }

    [SkippableFact]
    public void The_airflow_dag_parses_has_the_pipelines_edges_and_its_tasks_run_one_day_as_a_direct_backfill_does()
    {
        Skip.IfNot(JinjaInstalled, NeedsJinja);
        using var env = new TestEnvironment();
        var days = SampleRaw.Write(env, "raw", Days, Step);
        var day = days[60];
        // Both workspaces hold a full build, as a workspace does once its first run is done (README: Moving to Airflow).
        BuildSh(env, "ws-airflow", "--target=Package").ShouldExitWith(0);
        BuildSh(env, "ws-direct", "--target=Package").ShouldExitWith(0);
        BuildSh(env, "ws-airflow", "--target=Export", "--format=airflow", $"--output={env.PathOf("dags/weather_dag.py")}")
            .ShouldExitWith(0).StandardOutput.ShouldStartWith($"Export: wrote {env.PathOf("dags/weather_dag.py")}: airflow, 8 tasks, 17 dependencies, each task one target over one day (YYYY-MM-DD)\n");
        var late = env.PathOf($"raw/date={day}/weather.csv");
        File.AppendAllText(late, File.ReadAllLines(late)[1] + "\n");

        var read = Processes.Run("python3", ["-c", ReadDag, env.PathOf("dags/weather_dag.py"), day], Repository.Root).ShouldExitWith(0);
        using var dag = JsonDocument.Parse(read.Output);
        var root = dag.RootElement;
        root.GetProperty("imports").EnumerateArray().Select(i => i.GetString()).ShouldBe(["airflow.DAG", "airflow.operators.bash.BashOperator"]);
        root.GetProperty("schedule").EnumerateArray().Select(s => s.GetString()).ShouldBe(["@daily"]);
        var tasks = root.GetProperty("tasks").EnumerateArray().Select(t => (Id: t.GetProperty("task_id").GetString()!, Command: t.GetProperty("command").GetString()!, Cwd: t.GetProperty("cwd").GetString()!)).ToList();
        var edges = root.GetProperty("edges").EnumerateArray().Select(e => (e[0].GetString()!, e[1].GetString()!)).ToList();
        tasks.Select(t => t.Id).ShouldBe(["Ingest", "Validate", "Clean", "ValidationSummary", "Train", "Evaluate", "Report", "Package"]);
        edges.ToHashSet().SetEquals(SampleEdges()).ShouldBeTrue($"the DAG's edges {string.Join(", ", edges)} are the pipeline's {string.Join(", ", SampleEdges())}");
        edges.Count.ShouldBe(edges.Distinct().Count());
        tasks.ShouldAllBe(t => t.Cwd == "REPOSITORY");
        tasks[0].Command.ShouldBe($"./build.sh --target=Ingest --exclusive --pipeline=weather --workspace={env.PathOf("ws-airflow")} --raw={env.PathOf("raw")} --from={day} --to={day}");

        // Each task's command in dependency order (a task once all it waits for are done), as Airflow's scheduler runs them.
        var done = new HashSet<string>(StringComparer.Ordinal);
        while (done.Count < tasks.Count)
        {
            var next = tasks.First(t => !done.Contains(t.Id) && edges.Where(e => e.Item2 == t.Id).All(e => done.Contains(e.Item1)));
            var run = Processes.Run("/bin/bash", ["-c", next.Command], Repository.Root);
            run.ExitCode.ShouldBe(0, $"{next.Id}: {next.Command}\n{run.Output}");
            done.Add(next.Id);
        }

        BuildSh(env, "ws-direct", "--target=Package", $"--from={day}", $"--to={day}").ShouldExitWith(0);
        var airflow = WorkspaceState.Capture(env.PathOf("ws-airflow")).Outputs;
        var direct = WorkspaceState.Capture(env.PathOf("ws-direct")).Outputs;
        // The report records the run that wrote it (the DAG coloured by what that run ran), so it differs by design.
        string[] runRecords = ["reports/report.md"];
        var compared = direct.Keys.Except(runRecords).ToList();
        compared.ShouldContain($"data/features/date={day}/features.csv");
        compared.ShouldContain("artifacts/LATEST");
        airflow.Keys.Except(runRecords).ShouldBe(compared);
        compared.Where(k => airflow[k] != direct[k]).ShouldBeEmpty("the Airflow tasks' outputs equal a direct backfill's");
    }

    [Fact]
    public void The_github_actions_workflow_has_one_job_per_stage_needing_the_pipelines_edges_and_the_range_as_inputs()
    {
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", 3);

        BuildSh(env, "ws", "--target=Export", "--format=github-actions").ShouldExitWith(0).StandardOutput
            .ShouldStartWith($"Export: wrote {env.PathOf("ws/exports/weather.yml")}: github-actions, 8 tasks, 17 dependencies, each task one target over one day (YYYY-MM-DD)\n");

        var yaml = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(env.PathOf("ws/exports/weather.yml"))))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var inputs = (YamlMappingNode)root["on"]["workflow_dispatch"]["inputs"];
        inputs.Children.Keys.Select(k => k.ToString()).ShouldBe(["from", "to"]);
        ((YamlMappingNode)root["env"]).Children.ToDictionary(p => p.Key.ToString(), p => p.Value.ToString())
            .ShouldBe(new Dictionary<string, string> { ["CAIRN_FROM"] = "${{ inputs.from }}", ["CAIRN_TO"] = "${{ inputs.to }}" });
        var jobs = (YamlMappingNode)root["jobs"];
        jobs.Children.Keys.Select(k => k.ToString()).ShouldBe(["Ingest", "Validate", "Clean", "ValidationSummary", "Train", "Evaluate", "Report", "Package"]);
        var needs = jobs.Children.SelectMany(j => ((YamlMappingNode)j.Value).Children.TryGetValue("needs", out var n) ? ((YamlSequenceNode)n).Select(u => (u.ToString(), j.Key.ToString())) : []).ToList();
        needs.ToHashSet().SetEquals(SampleEdges()).ShouldBeTrue($"the jobs' needs {string.Join(", ", needs)} are the pipeline's edges");
        foreach (var (name, job) in jobs.Children)
        {
            var step = (YamlMappingNode)((YamlSequenceNode)job["steps"])[0];
            ((YamlSequenceNode)job["runs-on"]).Select(l => l.ToString()).ShouldBe(["self-hosted", "cairn"]);
            step["working-directory"].ToString().ShouldBe($"${{{{ vars.CAIRN_REPOSITORY || '{Repository.Root}' }}}}");
            step["run"].ToString().ShouldBe($"./build.sh --target={name} --exclusive --pipeline=weather --workspace={env.PathOf("ws")} --raw={env.PathOf("raw")} --from=\"$CAIRN_FROM\" --to=\"$CAIRN_TO\"\n");
        }

        // The first job's command, run as the runner's bash runs it with the inputs in its environment.
        var ingest = ((YamlMappingNode)((YamlSequenceNode)jobs["Ingest"]["steps"])[0])["run"].ToString();
        var days = new Dictionary<string, string?> { ["CAIRN_FROM"] = "2012-01-01", ["CAIRN_TO"] = "2012-01-02" };
        Processes.Run("/bin/bash", ["-c", ingest], Repository.Root, days).ShouldExitWith(0).Output.ShouldContain("Ingest: ran 2 cells");
    }

    [Fact]
    public void A_missing_or_unknown_format_is_a_usage_error_and_a_hand_written_output_file_is_left_alone()
    {
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", 3);
        var mine = env.WriteFile("dags/weather_dag.py", "# my own DAG\n");

        var missing = BuildSh(env, "ws", "--target=Export").ShouldExitWith(2);
        var unknown = BuildSh(env, "ws", "--target=Export", "--format=dagster").ShouldExitWith(2);
        var notExport = BuildSh(env, "ws", "--target=Status", "--format=airflow").ShouldExitWith(2);
        var handWritten = BuildSh(env, "ws", "--target=Export", "--format=airflow", $"--output={mine}").ShouldExitWith(2);

        missing.StandardError.ShouldEndWith("Export needs --format: give the orchestrator to export to, --format=airflow or --format=github-actions (e.g. ./build.sh --target=Export --format=airflow).\n");
        unknown.StandardError.ShouldEndWith("--format=dagster: give the orchestrator to export to, --format=airflow or --format=github-actions (e.g. ./build.sh --target=Export --format=airflow).\n");
        notExport.StandardError.ShouldEndWith("--format=airflow: use --format=text (the default) or --format=json; --format=airflow is for --target=Export.\n");
        handWritten.StandardError.ShouldEndWith($"--output: {mine} exists and Export did not write it (its first line is not \"# Generated by Cairn's Export …\"), so it is left as it is; move it away or give another --output.\n");
        File.ReadAllText(mine).ShouldBe("# my own DAG\n");

        // Export's own file is replaced only when its content changes.
        var exported = env.PathOf("dags/exported.py");
        BuildSh(env, "ws", "--target=Export", "--format=airflow", $"--output={exported}").ShouldExitWith(0);
        File.SetLastWriteTimeUtc(exported, DateTime.UtcNow.AddHours(-1));
        var written = File.GetLastWriteTimeUtc(exported);
        BuildSh(env, "ws", "--target=Export", "--format=airflow", $"--output={exported}").ShouldExitWith(0)
            .StandardOutput.ShouldStartWith($"Export: left as it was (unchanged) {exported}: ");
        File.GetLastWriteTimeUtc(exported).ShouldBe(written);

        // --output=- puts the file on stdout, alone.
        BuildSh(env, "ws", "--target=Export", "--format=airflow", "--output=-").ShouldExitWith(0).StandardOutput.ShouldBe(File.ReadAllText(exported));
    }

    private static ProcessStreams BuildSh(TestEnvironment env, string workspace, params string[] arguments) =>
        ProcessStreams.Run(Repository.PathOf("build.sh"), [.. arguments, $"--workspace={env.PathOf(workspace)}", $"--raw={env.PathOf("raw")}"], Repository.Root);
}
