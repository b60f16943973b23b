using System.Diagnostics;
using System.Globalization;

namespace Cairn.Bench;

/// <summary>
/// One run of the bench pipeline through the engine's public surface, as the Cake script drives it: open (pipeline,
/// arguments, partition scan), run the stage (decide, and run the cell if it is stale), finish and dispose.
/// </summary>
internal static class RunCommand
{
    public static int Run(string directory)
    {
        var arguments = new Dictionary<string, IReadOnlyList<string>>
        {
            ["raw"] = [Path.Combine(directory, "raw")],
            ["workspace"] = [Path.Combine(directory, "ws")],
        };
        var graph = new Dictionary<string, IReadOnlyList<string>> { ["List"] = [] };
        var output = new StringWriter();
        var clock = Stopwatch.StartNew();
        double decided;
        try
        {
            using var session = CairnSession.Open(directory, "pipeline/pipeline.yaml", "List", arguments, graph, output);
            var opened = clock.Elapsed.TotalMilliseconds;
            session.RunStage("List");
            decided = clock.Elapsed.TotalMilliseconds - opened;
            session.Finish(null);
        }
        catch (Exception e) when (e is CairnUsageException or StageFailedException)
        {
            Console.Error.WriteLine(output.ToString());
            Console.Error.WriteLine(e.Message);
            return 1;
        }

        var total = clock.Elapsed.TotalMilliseconds;
        var skipped = output.ToString().Contains("List: skipped", StringComparison.Ordinal);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"engine_ms {total:0.###}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stage_ms {decided:0.###}"));
        Console.WriteLine(skipped ? "outcome skipped" : "outcome ran");
        return 0;
    }
}
