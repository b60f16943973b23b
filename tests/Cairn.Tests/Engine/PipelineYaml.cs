using System.Globalization;
using System.Text;

namespace Cairn.Tests.Engine;

/// <summary>
/// A test's pipeline file, written stage by stage: the one place that knows the file's shape. A task named without a
/// namespace is one of <c>Cairn.Tests.Engine.TestStages</c>.
/// </summary>
internal sealed class PipelineYaml
{
    private readonly string _name;
    private readonly List<(string Name, string Task, StageYaml Stage)> _stages = [];
    private readonly StringBuilder _tail = new();

    public PipelineYaml(string name = "test") => _name = name;

    /// <summary>
    /// The engine's two stages: Upper (per day: the raw CSVs upper-cased, each line ending in the suffix, which is
    /// left unbound when null) and Concat (every selected day's output into one file: <c>reads: selection</c>, so that
    /// a test of a selection sees its days alone; <see cref="BackfillTests"/> cover the default, <c>all</c>).
    /// </summary>
    public static PipelineYaml TwoStages(string? suffix = "!", string upperOutput = "data/upper/date={date}/upper.txt", string concatOutput = "data/all.txt") =>
        new PipelineYaml()
            .Stage("Upper", "UpperCaseStage", s =>
            {
                s.Partitioned().Input("Sources", "{raw}/date={date}/*.csv").Output("Output", upperOutput);
                if (suffix is not null)
                {
                    s.Parameter("Suffix", suffix);
                }
            })
            .Stage("Concat", "ConcatStage", s => s.Input("Parts", upperOutput.Replace("{date}", "{each}", StringComparison.Ordinal)).Output("Combined", concatOutput).Reads("selection"));

    /// <summary>
    /// The two stages over the partitions of a declared key: Upper per partition (<c>{raw}/KEY={partition}/*</c>), then
    /// Concat over the window's partitions. The test adds its <c>partitions:</c> (key, grain, files).
    /// </summary>
    public static PipelineYaml TwoStagesBy(string key, string window, string name = "test") =>
        new PipelineYaml(name)
            .Stage("Upper", "UpperCaseStage", s => s.Partitioned().Input("Sources", $"{{raw}}/{key}={{partition}}/*").Output("Output", $"data/upper/{key}={{partition}}/upper.txt").Parameter("Suffix", "!"))
            .Stage("Concat", "ConcatStage", s => s.Input("Parts", $"data/upper/{key}={{each}}/upper.txt").Output("Combined", "data/all.txt").Reads(window));

    /// <summary>The two stages of a pipeline without partitions (<c>partitions: grain: none</c>): Upper over every raw CSV, then Concat.</summary>
    public static PipelineYaml Unpartitioned(string name = "test") =>
        new PipelineYaml(name)
            .Stage("Upper", "UpperCaseStage", s => s.Input("Sources", "{raw}/*.csv").Output("Output", "data/upper.txt").Parameter("Suffix", "!"))
            .Stage("Concat", "ConcatStage", s => s.Input("Parts", "data/upper.txt").Output("Combined", "data/all.txt"))
            .Then("partitions:\n  grain: none\n");

    /// <summary>One partitioned <see cref="TestStages.TestStage"/>, Faulty, copying each day's <c>part.csv</c> and failing for <paramref name="failOn"/> as <paramref name="fault"/> says.</summary>
    public static PipelineYaml Faulty(string fault, string failOn = "2013-05-02", string name = "test") =>
        new PipelineYaml(name).Stage("Faulty", "TestStage", s => s.CopiesEachDay("data/out/date={date}/out.txt").Parameter("Fault", fault).Parameter("FailOn", failOn));

    public PipelineYaml Stage(string name, string task, Action<StageYaml> configure)
    {
        var stage = new StageYaml();
        configure(stage);
        _stages.Add((name, task.Contains('.', StringComparison.Ordinal) ? task : "Cairn.Tests.Engine.TestStages." + task, stage));
        return this;
    }

    /// <summary>Adds top-level YAML after the stages, as written (a <c>notify:</c> list).</summary>
    public PipelineYaml Then(string yaml)
    {
        _tail.Append(yaml);
        return this;
    }

    public override string ToString()
    {
        var text = new StringBuilder($"name: {_name}\nassembly: Cairn.Tests\nstages:\n");
        foreach (var (name, task, stage) in _stages)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {name}:\n    task: {task}\n");
            stage.WriteTo(text);
        }

        return text.Append(_tail).ToString();
    }
}
