using System.Globalization;

namespace Cairn.Bench;

/// <summary>Makes a one-stage pipeline (a <see cref="ListInputs"/> cell over every file of one day) with a given number of inputs.</summary>
internal static class PipelineCommand
{
    public const string Day = "2020-01-01";

    private const string PipelineYaml = """
        # One partitioned stage whose single cell reads every file of its day: the decision-cost benchmark.
        name: bench
        assembly: Cairn.Bench
        stages:
          List:
            task: Cairn.Bench.ListInputs
            partitioned: true
            inputs:
              Sources: "{raw}/date={date}/*.csv"
            outputs:
              Output: "data/list/date={date}/inputs.txt"
        """;

    public static int Run(string directory, int files)
    {
        var pipeline = Path.Combine(directory, "pipeline");
        Directory.CreateDirectory(pipeline);
        File.WriteAllText(Path.Combine(pipeline, "pipeline.yaml"), PipelineYaml);
        var day = Path.Combine(directory, "raw", "date=" + Day);
        if (Directory.Exists(day))
        {
            Directory.Delete(day, recursive: true);
        }

        Directory.CreateDirectory(day);
        for (var i = 0; i < files; i++)
        {
            File.WriteAllText(Path.Combine(day, string.Create(CultureInfo.InvariantCulture, $"part-{i:00000}.csv")), string.Create(CultureInfo.InvariantCulture, $"id,value\n{i},{i * 7}\n"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"files {files}"));
        return 0;
    }
}
