namespace Cairn.Bench;

/// <summary>
/// The benchmark suite's helper. bench/run.sh calls it; each command prints <c>name value</c> lines it parses.
/// <list type="bullet">
/// <item><c>hash PATH [PAIRS]</c>: hashes a file, or each file in a folder, with ContentHasher and with xxhsum -H2 in PAIRS alternating pairs (default 7); prints both sides' medians, wall and CPU.</item>
/// <item><c>pipeline DIR FILES</c>: makes a one-stage pipeline whose single cell reads FILES input files.</item>
/// <item><c>run DIR</c>: one run of that pipeline through the engine, in this process; prints how long the engine took.</item>
/// <item><c>decide DIR</c>: the pieces of that pipeline's up-to-date decision, each timed cold and warm.</item>
/// <item><c>sample REPOSITORY WORKSPACE RAW</c>: one run of the sample pipeline through the engine without Cake; prints where the time went.</item>
/// <item><c>open REPOSITORY WORKSPACE RAW</c>: the pieces of opening a run of the sample pipeline, each timed cold and warm.</item>
/// <item><c>stages REPOSITORY DIR [RUNS] [ROWS]</c>: throughput and peak memory of the built-in ingest and validation on generated CSV and Parquet partitions (bench/stages.sh).</item>
/// <item><c>stage-run ...</c>: one measured run of a built-in stage in this process (stages' child).</item>
/// </list>
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        try
        {
            return args switch
            {
                ["hash", var path] => HashCommand.Run(path, 7),
                ["hash", var path, var pairs] => HashCommand.Run(path, Number(pairs)),
                ["pipeline", var directory, var files] => PipelineCommand.Run(directory, int.Parse(files, System.Globalization.CultureInfo.InvariantCulture)),
                ["run", var directory] => RunCommand.Run(directory),
                ["decide", var directory] => DecideCommand.Run(directory),
                ["sample", var repository, var workspace, var raw] => SampleCommand.Run(repository, workspace, raw),
                ["open", var repository, var workspace, var raw] => OpenCommand.Run(repository, workspace, raw),
                ["stages", var repository, var directory] => StagesCommand.Run(repository, directory, 5, 1_000_000),
                ["stages", var repository, var directory, var runs] => StagesCommand.Run(repository, directory, Number(runs), 1_000_000),
                ["stages", var repository, var directory, var runs, var rows] => StagesCommand.Run(repository, directory, Number(runs), Number(rows)),
                ["stage-run", .. var rest] => StageRunCommand.Run(rest),
                _ => Usage(),
            };
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine(e.Message);
            return Usage();
        }
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: Cairn.Bench hash PATH [PAIRS] | pipeline DIR FILES | run DIR | decide DIR | sample REPOSITORY WORKSPACE RAW | open REPOSITORY WORKSPACE RAW | stages REPOSITORY DIR [RUNS] [ROWS]");
        return 2;
    }

    private static int Number(string text) => int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
