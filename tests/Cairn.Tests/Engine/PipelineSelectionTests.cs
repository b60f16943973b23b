using Cairn.Engine.Hosting;
using Cairn.Tests.Support;

namespace Cairn.Tests.Engine;

/// <summary>
/// Which pipeline a run is for, as a host asks before it makes its targets: <c>--pipeline=NAME</c> is
/// <c>pipelines/NAME/pipeline.yaml</c>, <c>--pipeline=PATH</c> a pipeline file, and with one pipeline it is the default.
/// Every wrong choice is a usage error that lists the pipelines there are, and writes nothing.
/// </summary>
public sealed class PipelineSelectionTests : IDisposable
{
    private readonly TestEnvironment _env = new();

    [Fact]
    public void The_only_pipeline_is_the_default_and_its_workspace_is_work_slash_its_name()
    {
        Pipeline("orders");

        var pipeline = Select();

        pipeline.Name.ShouldBe("orders");
        pipeline.File.ShouldBe(_env.PathOf("pipelines/orders/pipeline.yaml"));
        using var session = CairnSession.Open(pipeline, "Status", Arguments(), Graph(pipeline), new StringWriter());
        session.Workspace.ShouldBe(_env.PathOf("work/orders"));
    }

    [Fact]
    public void Pipeline_NAME_chooses_among_several()
    {
        Pipeline("orders");
        Pipeline("weather");

        Select("--pipeline=weather").Name.ShouldBe("weather");
        Select("--pipeline=orders").Name.ShouldBe("orders");
    }

    [Fact]
    public void Several_pipelines_and_none_chosen_is_refused_listing_them()
    {
        Pipeline("orders");
        Pipeline("weather");

        Refused().ShouldBe("There are 2 pipelines here (orders, weather); choose one with --pipeline=NAME.");
    }

    [Fact]
    public void An_unknown_name_is_refused_with_the_nearest_and_the_list()
    {
        Pipeline("orders");
        Pipeline("weather");

        Refused("--pipeline=order").ShouldBe("--pipeline=order: there is no pipeline 'order'; did you mean --pipeline=orders? The pipelines are orders, weather (each pipelines/NAME/pipeline.yaml).");
    }

    [Fact]
    public void A_name_that_is_not_an_identifier_is_refused_with_the_rule()
    {
        Pipeline("orders");

        Refused("--pipeline=9 orders").ShouldBe("--pipeline=9 orders: '9 orders' is not a pipeline name (letters, digits and _, starting with a letter); give the name of a folder under pipelines/, or the path of a pipeline file. The pipelines are orders.");
    }

    [Fact]
    public void A_pipeline_file_in_the_wrong_place_is_named_with_where_it_belongs()
    {
        Pipeline("orders");
        _env.WriteFile("pipelines/sales/config/pipeline.yaml", Yaml("sales"));

        Refused("--pipeline=sales").ShouldBe("--pipeline=sales: pipelines/sales holds no pipeline.yaml. pipelines/sales/config/pipeline.yaml is not where a pipeline file is looked for: move it to pipelines/sales/pipeline.yaml. The pipelines are orders.");
    }

    [Fact]
    public void No_pipeline_at_all_is_refused_with_how_to_make_one_and_the_misplaced_files()
    {
        _env.WriteFile("pipelines/pipeline.yml", Yaml("orders"));

        Refused().ShouldBe($"There is no pipeline in {_env.PathOf("pipelines")}: a pipeline is a folder pipelines/NAME holding pipeline.yaml (dotnet new cairn-pipeline -n NAME makes one), or pass --pipeline=PATH with a pipeline file. pipelines/pipeline.yml is not where a pipeline file is looked for: move it to pipelines/NAME/pipeline.yaml.");
    }

    [Fact]
    public void A_pipeline_whose_name_is_not_its_folders_is_refused_with_both_fixes()
    {
        _env.WriteFile("pipelines/orders/pipeline.yaml", Yaml("sales"));

        Refused().ShouldBe($"{_env.PathOf("pipelines/orders/pipeline.yaml")}: name is 'sales', but the file is in pipelines/orders; a pipeline's folder is its name (--pipeline=orders, workspace work/orders): set name: orders, or rename the folder to pipelines/sales.");
    }

    [Fact]
    public void A_pipeline_folder_that_is_not_a_name_is_refused_with_a_name_that_is()
    {
        _env.WriteFile("pipelines/flight-delays/pipeline.yaml", Yaml("flight-delays"));

        Refused().ShouldBe($"{_env.PathOf("pipelines/flight-delays/pipeline.yaml")}: 'flight-delays' is not a pipeline name (letters, digits and _, starting with a letter), and a pipeline's folder is its name (--pipeline=NAME, workspace work/NAME, the stage project's namespace): rename the folder and set name: to the new name (e.g. flight_delays).");
    }

    [Fact]
    public void A_path_starts_from_the_directory_the_user_ran_the_bootstrapper_from()
    {
        Pipeline("orders");
        _env.WriteFile("elsewhere/mine/pipeline.yaml", Yaml("mine"));

        Select("--pipeline=mine/pipeline.yaml").File.ShouldBe(_env.PathOf("elsewhere/mine/pipeline.yaml"));
        Refused("--pipeline=mine").ShouldStartWith("--pipeline=mine: there is no pipeline 'mine' The pipelines are orders", Case.Sensitive, "a bare name is a folder under pipelines/, not a path");
        Refused("--pipeline=missing/pipeline.yaml").ShouldStartWith($"--pipeline=missing/pipeline.yaml: there is no pipeline file {_env.PathOf("elsewhere/missing/pipeline.yaml")}; ");
    }

    public void Dispose() => _env.Dispose();

    private static string Yaml(string name) => new PipelineYaml(name)
        .Stage("Upper", "UpperCaseStage", s => s.Partitioned().Input("Sources", "{raw}/date={date}/*.csv").Output("Output", "data/upper/date={date}/upper.txt"))
        .ToString();

    private static Dictionary<string, IReadOnlyList<string>> Graph(CairnPipeline pipeline) =>
        pipeline.Stages.ToDictionary(s => s.Name, s => s.DependsOn).Append(KeyValuePair.Create("Status", (IReadOnlyList<string>)[])).ToDictionary();

    private void Pipeline(string name)
    {
        _env.WriteFile($"pipelines/{name}/pipeline.yaml", Yaml(name));
        _env.WriteFile($"raw/date=2013-05-01/part.csv", "row\n");
    }

    private Dictionary<string, IReadOnlyList<string>> Arguments(params string[] arguments)
    {
        var parsed = arguments.Select(a => a.TrimStart('-').Split('=', 2)).ToDictionary(p => p[0], p => (IReadOnlyList<string>)[p[1]]);
        parsed.TryAdd("raw", [_env.PathOf("raw")]);
        return parsed;
    }

    private CairnPipeline Select(params string[] arguments) =>
        CairnPipeline.Select(_env.Root, Arguments(arguments), new HostEnvironment(v => v == CairnSession.CallerDirectoryVariable ? _env.PathOf("elsewhere") : null, false, TimeProvider.System));

    private string Refused(params string[] arguments)
    {
        var error = Should.Throw<CairnUsageException>(() => Select(arguments));
        Directory.Exists(_env.PathOf("work")).ShouldBeFalse("a refused choice writes nothing");
        return error.Message;
    }
}
