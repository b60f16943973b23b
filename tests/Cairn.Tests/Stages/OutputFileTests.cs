using Cairn.Stages.Common;
using Cairn.Stages.Tables;
using Cairn.Tests.CommandLine;
using Cairn.Tests.Reliability;
using Cairn.Tests.Support;

namespace Cairn.Tests.Stages;

/// <summary>
/// Issue 16 goal 1: the built-in stages open their outputs without the <c>ftruncate</c> that .NET's
/// <c>FileMode.Create</c> makes on Unix, which ext4 answers by writing the file to disk when it is closed. A file that
/// has bytes is still written from its start.
/// </summary>
[Collection(BuildScriptRuns.Name)]
public sealed class OutputFileTests : IDisposable
{
    private readonly TestEnvironment _env = new();

    public void Dispose() => _env.Dispose();

    [Fact]
    public void A_file_that_has_bytes_is_written_from_its_start_and_a_missing_one_is_created()
    {
        var longer = _env.PathOf("out/longer.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(longer)!);
        File.WriteAllText(longer, "an earlier attempt's much longer content\n" + new string('x', 10_000));
        using (var csv = StageCsv.OpenWriter(longer))
        {
            csv.WriteField("a");
            csv.EndRecord();
        }

        File.ReadAllText(longer).ShouldBe("a\n");

        var missing = _env.PathOf("out/missing.json");
        using (var stream = OutputFile.Create(missing))
        {
            stream.Write("{}"u8);
        }

        File.ReadAllText(missing).ShouldBe("{}");
    }

    [Fact]
    public void An_output_whose_folders_are_missing_is_written_in_folders_made_for_it()
    {
        var csv = _env.PathOf("out/a/b/c.csv");
        var json = _env.PathOf("out/d/e.json");

        using (var writer = StageCsv.OpenWriter(csv))
        {
            writer.WriteField("a");
            writer.EndRecord();
        }

        using (var stream = OutputFile.Create(json))
        {
            stream.Write("{}"u8);
        }

        File.ReadAllText(csv).ShouldBe("a\n");
        File.ReadAllText(json).ShouldBe("{}");
    }

    [SkippableFact]
    public void A_first_run_truncates_none_of_the_outputs_its_stages_write()
    {
        Skip.IfNot(Strace.Works, Strace.Missing);
        SampleRaw.Write(_env, "raw", 3);
        var trace = _env.PathOf("ftruncate.txt");

        BuildProcess.StartUnder(
                ["/usr/bin/strace", "-f", "--seccomp-bpf", "-qq", "-y", "-e", "trace=ftruncate", "-o", trace],
                ["--target=Clean", $"--raw={_env.PathOf("raw")}", $"--workspace={_env.PathOf("ws")}"])
            .Finish().ShouldExitWith(0).Dispose();

        // Ingest, Validate and Clean write 4 files a day into the run's staging folder; strace -y names each call's file.
        var staged = File.ReadLines(trace).Where(l => l.Contains("ftruncate(", StringComparison.Ordinal) && l.Contains("/.cairn/staging/", StringComparison.Ordinal)).ToList();
        staged.ShouldBeEmpty();
        Directory.GetFiles(_env.PathOf("ws/data"), "*", SearchOption.AllDirectories).Length.ShouldBe(12, "4 outputs a day over 3 days");
    }
}
