using System.Diagnostics;
using System.Globalization;

namespace Cairn.Bench;

/// <summary>
/// One run of the sample weather pipeline through the engine alone, without Cake, with the target graph that
/// build/build.cake composes (a chain, Ingest to Package): how long opening the run takes (pipeline file, stage
/// assemblies and code versions, arguments and partition scan) and how long each stage takes to decide and run.
/// </summary>
internal static class SampleCommand
{
    public static int Run(string repository, string workspace, string raw)
    {
        // The sample's stages in its pipeline file's order (its data-flow order), chained as build/build.cake's targets run.
        var stages = Cairn.Engine.Configuration.PipelineLoader.Load(Path.Combine(repository, "pipelines/weather/pipeline.yaml")).Stages.Select(s => s.Name).ToArray();
        var arguments = new Dictionary<string, IReadOnlyList<string>>
        {
            ["raw"] = [raw],
            ["workspace"] = [workspace],
        };
        var graph = stages.Select((stage, i) => (stage, i)).ToDictionary(s => s.stage, s => (IReadOnlyList<string>)(s.i == 0 ? [] : [stages[s.i - 1]]));
        var output = new StringWriter();
        var clock = Stopwatch.StartNew();
        var stageMs = new List<(string Stage, double Ms)>();
        double openMs;
        try
        {
            using var session = CairnSession.Open(repository, "pipelines/weather/pipeline.yaml", "Package", arguments, graph, output);
            openMs = clock.Elapsed.TotalMilliseconds;
            foreach (var stage in stages)
            {
                var started = clock.Elapsed.TotalMilliseconds;
                session.RunStage(stage);
                stageMs.Add((stage, clock.Elapsed.TotalMilliseconds - started));
            }

            session.Finish(null);
        }
        catch (Exception e) when (e is CairnUsageException or StageFailedException)
        {
            Console.Error.WriteLine(output.ToString());
            Console.Error.WriteLine(e.Message);
            return 1;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"open_ms {openMs:0.###}"));
        foreach (var (stage, ms) in stageMs)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stage_ms {stage} {ms:0.###}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stages_ms {stageMs.Sum(s => s.Ms):0.###}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"engine_ms {clock.Elapsed.TotalMilliseconds:0.###}"));
        return 0;
    }
}
