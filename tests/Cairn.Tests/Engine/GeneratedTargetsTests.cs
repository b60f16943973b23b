using Cairn.Tests.Support;

namespace Cairn.Tests.Engine;

/// <summary>
/// What a host makes its targets from, so that the graph is written once, in the pipeline file: every stage in
/// data-flow order with its description and the stages it reads from, and the default target. A cycle is refused
/// there, with its path, before the host defines a target or anything runs.
/// </summary>
public sealed class GeneratedTargetsTests : IDisposable
{
    private readonly TestEnvironment _env = new();

    [Fact]
    public void Stages_come_in_data_flow_order_with_their_descriptions_and_the_stages_they_read_from()
    {
        // Written out of order: Report first, then the stage it reads, then the stage that one reads.
        var pipeline = Load("""
            name: shop
            assembly: Cairn.Tests
            default_target: Report
            stages:
              Report:
                description: "Everything in one file"
                task: Cairn.Tests.Engine.TestStages.ConcatStage
                inputs:
                  Parts: ["data/upper/date={each}/upper.txt", "data/extra.txt"]
                outputs:
                  Combined: "reports/all.txt"
              Upper:
                description: "Each day upper-cased"
                task: Cairn.Tests.Engine.TestStages.UpperCaseStage
                partitioned: true
                inputs:
                  Sources: "{raw}/date={date}/*.csv"
                outputs:
                  Output: "data/upper/date={date}/upper.txt"
              Extra:
                task: Cairn.Tests.Engine.TestStages.ConcatStage
                inputs:
                  Parts: "data/upper/date={each}/upper.txt"
                outputs:
                  Combined: "data/extra.txt"
            """);

        pipeline.Stages.Select(s => (s.Name, s.Description, string.Join(",", s.DependsOn))).ShouldBe(
        [
            ("Upper", "Each day upper-cased", ""),
            ("Extra", "", "Upper"),
            ("Report", "Everything in one file", "Upper,Extra"),
        ]);
        pipeline.DefaultTarget.ShouldBe("Report");
    }

    [Fact]
    public void Without_a_default_target_it_is_the_last_stage_of_the_file()
    {
        Load(PipelineYaml.TwoStages().ToString()).DefaultTarget.ShouldBe("Concat");
    }

    [Fact]
    public void A_cycle_is_refused_with_its_path_before_any_target_is_made()
    {
        var cyclic = new PipelineYaml()
            .Stage("Clean", "ConcatStage", s => s.Input("Parts", "data/evaluation.txt").Output("Combined", "data/clean.txt"))
            .Stage("Train", "ConcatStage", s => s.Input("Parts", "data/clean.txt").Output("Combined", "data/model.txt"))
            .Stage("Evaluate", "ConcatStage", s => s.Input("Parts", "data/model.txt").Output("Combined", "data/evaluation.txt"));

        var error = Should.Throw<CairnUsageException>(() => Load(cyclic.ToString()));

        error.Problems.ShouldBe([$"{_env.PathOf("pipeline/pipeline.yaml")}: the data flow has a cycle, Clean -> Train -> Evaluate -> Clean: Train reads data/clean.txt, which Clean writes; Evaluate reads data/model.txt, which Train writes; Clean reads data/evaluation.txt, which Evaluate writes. A stage cannot read, directly or through other stages, what it writes itself; change the paths so that the data flows one way."]);
    }

    [Fact]
    public void A_stage_may_not_take_the_name_of_cairns_own_targets_nor_a_default_target_name_no_stage()
    {
        var yaml = new PipelineYaml()
            .Stage("Status", "ConcatStage", s => s.Input("Parts", "{raw}/x.txt").Output("Combined", "data/x.txt"))
            .Stage("Two-Words", "ConcatStage", s => s.Input("Parts", "data/x.txt").Output("Combined", "data/y.txt"))
            .Then("default_target: Publish\n");

        var error = Should.Throw<CairnUsageException>(() => Load(yaml.ToString()));

        var file = _env.PathOf("pipeline/pipeline.yaml");
        error.Message.Split(Environment.NewLine).ShouldBe(
        [
            $"{file}: stage 'Status' takes the name of Cairn's own target Status; rename the stage (Cairn's own targets are Status, History, Health, Prune, Graph, Rollback, Reviews, Approve, Reject, Verify, Lineage, Export, Help, Serve).",
            $"{file}: stage name 'Two-Words' is not a valid name: letters, digits and _, starting with a letter, as stage names are target names and appear in the DAG's edges.",
            $"{file}: default_target 'Publish' is not a stage of the pipeline; name one of Status, Two-Words.",
        ]);
    }

    public void Dispose() => _env.Dispose();

    private CairnPipeline Load(string yaml)
    {
        _env.WriteFile("pipeline/pipeline.yaml", yaml);
        return CairnPipeline.Select(_env.Root, new Dictionary<string, IReadOnlyList<string>> { ["pipeline"] = [_env.PathOf("pipeline/pipeline.yaml")] });
    }
}
