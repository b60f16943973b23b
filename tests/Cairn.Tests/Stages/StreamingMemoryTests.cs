using System.Globalization;
using System.Text;
using Cairn.Tests.Support;
using Xunit.Abstractions;

namespace Cairn.Tests.Stages;

/// <summary>
/// Issue 10 item 11 (and issue 11 item 5): the built-in stages stream, so a 500 MB day is ingested and validated in a
/// process whose GC heap may not exceed 1 GiB (DOTNET_GCHeapHardLimit: materialising the file as objects fails with
/// out of memory) and whose peak resident memory, all of it, stays under 1 GiB too (GNU time's maximum RSS). The
/// stages run under real MSBuild, in a process of their own.
/// </summary>
public sealed class StreamingMemoryTests(ITestOutputHelper output)
{
    private const long FileBytes = 500L * 1024 * 1024;
    private const long LimitKb = 1024 * 1024;

    [SkippableFact]
    public void A_500_mb_day_is_ingested_and_validated_under_a_1_gib_memory_limit()
    {
        Skip.IfNot(File.Exists("/usr/bin/time"), "needs GNU time for the peak memory: apt-get install time");
        using var env = new TestEnvironment();
        var (rows, quoted) = WriteDay(env.PathOf("raw/date=2013-05-03/day.csv"));
        env.WriteFile("contract.yaml", File.ReadAllText(SampleData.WeatherContract) + "  - name: note\n    type: string\n");
        var project = env.WriteFile("stream.proj", $"""
            <Project>
              <UsingTask TaskName="Cairn.Stages.Common.Ingest" AssemblyFile="{AppContext.BaseDirectory}Cairn.Tasks.dll" />
              <UsingTask TaskName="Cairn.Stages.Common.ValidateContract" AssemblyFile="{AppContext.BaseDirectory}Cairn.Tasks.dll" />
              <Target Name="Run">
                <Ingest Sources="raw/date=2013-05-03/day.csv" Output="data/day.csv">
                  <Output TaskParameter="RowsIn" PropertyName="RowsIn" />
                </Ingest>
                <ValidateContract Input="data/day.csv" Contract="contract.yaml" Partition="2013-05-03" Profile="data/profile.json">
                  <Output TaskParameter="Rows" PropertyName="Rows" />
                  <Output TaskParameter="RowsWithViolations" PropertyName="Violations" />
                </ValidateContract>
                <Message Importance="high" Text="ingested $(RowsIn), validated $(Rows), violations $(Violations)" />
              </Target>
            </Project>
            """);

        var run = Processes.Run(
            "/usr/bin/time",
            ["-f", "peak_kb %M", "-o", env.PathOf("peak.txt"), "dotnet", "msbuild", project, "-nologo", "-nodeReuse:false", "-m:1", "-t:Run"],
            env.Root,
            new Dictionary<string, string?> { ["DOTNET_GCHeapHardLimit"] = "0x40000000", ["MSBUILDNOINPROCNODE"] = null },
            timeoutSeconds: 600);

        var peakKb = long.Parse(File.ReadAllText(env.PathOf("peak.txt")).Split(' ')[1], CultureInfo.InvariantCulture);
        output.WriteLine(FormattableString.Invariant($"{new FileInfo(env.PathOf("raw/date=2013-05-03/day.csv")).Length / 1048576} MB, {rows} rows; peak resident memory {peakKb / 1024} MB"));
        run.ShouldExitWith(0).Output.ShouldContain(FormattableString.Invariant($"ingested {rows}, validated {rows}, violations {quoted}"));
        peakKb.ShouldBeLessThan(LimitKb);
    }

    /// <summary>
    /// Writes a day of about <see cref="FileBytes"/> by repeating a block of rows with a long note: three of four plain,
    /// one quoted with commas and spaces (so both ways of reading a record are taken); the quoted ones break the contract.
    /// Returns the number of rows and of quoted rows.
    /// </summary>
    private static (long Rows, long Quoted) WriteDay(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var block = new StringBuilder();
        var rows = 0;
        var quoted = 0;
        for (var i = 0; block.Length < (1 << 20) - 1024; i++, rows++)
        {
            quoted += i % 4 == 3 ? 1 : 0;
            var note = new string((char)('a' + (i % 26)), 900);
            block.Append(i % 4 == 3
                ? FormattableString.Invariant($"2013-05-03,{i % 50}.5,20.1,10.2,3.3,hail,\"{note[..400]}, {note[..400]}\"\n")
                : FormattableString.Invariant($"2013-05-03,{i % 50}.5,20.1,10.2,3.3,rain,{note}\n"));
        }

        var bytes = Encoding.UTF8.GetBytes(block.ToString());
        using var file = File.Create(path);
        file.Write("date,precipitation,temp_max,temp_min,wind,weather,note\n"u8);
        long written = 0;
        long blocks = 0;
        while (written < FileBytes)
        {
            file.Write(bytes);
            written += bytes.Length;
            blocks++;
        }

        return (blocks * rows, blocks * quoted);
    }
}
