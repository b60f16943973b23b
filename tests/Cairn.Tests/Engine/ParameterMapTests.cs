using System.Text.Json;
using Cairn.Engine.Checkpoints;
using Cairn.Engine.Plan;
using Cairn.Engine.Scan;

namespace Cairn.Tests.Engine;

/// <summary>A cell's parameters over the stage's sorted names and the cell's values: read, fingerprinted and recorded as a SortedList of them is.</summary>
public sealed class ParameterMapTests
{
    private static readonly ParameterMap<string> Map = new(["B", "a\\n", "b", "{selection}"], ["1", "x\ny", "2", "all"]);

    private static readonly SortedList<string, string> Sorted = new(StringComparer.Ordinal) { ["b"] = "2", ["{selection}"] = "all", ["B"] = "1", ["a\\n"] = "x\ny" };

    [Fact]
    public void It_reads_as_the_sorted_list_of_its_parameters()
    {
        Map.ToList().ShouldBe(Sorted.ToList());
        Map.Keys.ShouldBe(Sorted.Keys);
        Map["b"].ShouldBe("2");
        Map.TryGetValue("c", out _).ShouldBeFalse();
        Map.ContainsKey("{selection}").ShouldBeTrue();
        Should.Throw<KeyNotFoundException>(() => Map["c"]);
        Should.Throw<ArgumentException>(() => new ParameterMap<string>(["a"], []));
    }

    [Fact]
    public void It_fingerprints_and_is_recorded_in_a_checkpoint_as_the_sorted_list()
    {
        BoundFile[] inputs = [new BoundFile("Input", "data/in.txt", "/ws/data/in.txt")];
        string Print(IReadOnlyDictionary<string, string> parameters) =>
            Fingerprint.Compute(new CellBinding("Stage", "2013-05-01", inputs, [], new Dictionary<string, object>(), parameters), "Task", "v1", ["0123"]);

        Print(Map).ShouldBe(Print(Sorted));
        Json(Map).ShouldBe(Json(Sorted));
        Json(Map).ShouldContain("\"a\\\\n\": \"x\\ny\"");
    }

    private static string Json(IReadOnlyDictionary<string, string> parameters) => JsonSerializer.Serialize(
        new Checkpoint
        {
            Stage = "Stage",
            Fingerprint = "f",
            HashAlgorithm = "xxh3-128",
            CodeVersion = "v1",
            Inputs = [],
            Outputs = [],
            Parameters = parameters,
            Metrics = new Dictionary<string, double>(),
            RunId = "r",
            Environment = "local",
            StartedAt = default,
            FinishedAt = default,
            DurationMs = 0,
            ToolVersion = "t",
        },
        CheckpointJsonContext.Default.Checkpoint);
}
