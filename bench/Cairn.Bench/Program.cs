namespace Cairn.Bench;

/// <summary>
/// The benchmark suite's helper. bench/run.sh calls it; each command prints <c>name value</c> lines it parses.
/// <list type="bullet">
/// <item><c>hash FILE [REPEAT]</c>: hashes the file with ContentHasher REPEAT times (default 5); prints the median time.</item>
/// <item><c>pipeline DIR FILES</c>: makes a one-stage pipeline whose single cell reads FILES input files.</item>
/// <item><c>run DIR</c>: one run of that pipeline through the engine, in this process; prints how long the engine took.</item>
/// <item><c>decide DIR</c>: the pieces of that pipeline's up-to-date decision, each timed cold and warm.</item>
/// <item><c>sample REPOSITORY WORKSPACE RAW</c>: one run of the sample pipeline through the engine without Cake; prints where the time went.</item>
/// <item><c>open REPOSITORY WORKSPACE RAW</c>: the pieces of opening a run of the sample pipeline, each timed cold and warm.</item>
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
                ["hash", var file] => HashCommand.Run(file, 5),
                ["hash", var file, var repeat] => HashCommand.Run(file, int.Parse(repeat, System.Globalization.CultureInfo.InvariantCulture)),
                ["pipeline", var directory, var files] => PipelineCommand.Run(directory, int.Parse(files, System.Globalization.CultureInfo.InvariantCulture)),
                ["run", var directory] => RunCommand.Run(directory),
                ["decide", var directory] => DecideCommand.Run(directory),
                ["sample", var repository, var workspace, var raw] => SampleCommand.Run(repository, workspace, raw),
                ["open", var repository, var workspace, var raw] => OpenCommand.Run(repository, workspace, raw),
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
        Console.Error.WriteLine("usage: Cairn.Bench hash FILE [REPEAT] | pipeline DIR FILES | run DIR | decide DIR | sample REPOSITORY WORKSPACE RAW | open REPOSITORY WORKSPACE RAW");
        return 2;
    }
}
