using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Cairn.Hashing;
using Cairn.Stages.Common;
using Cairn.Tests.CommandLine;
using Cairn.Tests.Support;
using Microsoft.Build.Utilities;
using Xunit.Abstractions;

namespace Cairn.Tests.Reliability;

/// <summary>
/// Issue 10, done when: a campaign of real <c>./build.sh</c> runs of Ingest during which a concurrent writer rewrites
/// random raw files the way <c>cp</c> does (half of the time back to the very same bytes). After every run, every
/// checkpoint is traced back: its recorded input hash must stand for bytes the file held, and its recorded output must
/// be exactly what Ingest makes of those bytes (Ingest hosted here on them), and the output in the workspace must be
/// that one. A result built from other bytes than the recorded ones, however the file came back, fails the campaign.
/// </summary>
[Collection(BuildScriptRuns.Name)]
public sealed class ConcurrentWriterCampaignTests(ITestOutputHelper output) : IDisposable
{
    private const int Seed = 20_261_202;
    private const int Runs = 20;
    private const int Days = 6;
    private const int RowsPerDay = 40;
    private static readonly string[] Sample = File.ReadAllLines(Repository.PathOf("pipelines/weather/data/seattle-weather.csv"));
    private readonly TestEnvironment _env = new();
    private readonly Dictionary<string, string?> _ingested = new(StringComparer.Ordinal);

    public void Dispose() => _env.Dispose();

    [Fact]
    public void No_checkpoint_records_outputs_built_from_other_bytes_than_its_inputs_recorded_ones_while_a_writer_rewrites_them()
    {
        var clock = Stopwatch.StartNew();
        var random = new Random(Seed);
        var days = Sample.Skip(1).Take(Days).Select(l => l[..10]).ToList();
        var files = days.ToDictionary(d => Raw(d), d => (Variant(d, 0), Variant(d, 1)), StringComparer.Ordinal);
        using var writer = new ConcurrentWriter(files, Seed);
        var (checkedCheckpoints, retried, failedRuns) = (0, 0, 0);

        for (var run = 1; run <= Runs; run++)
        {
            var force = random.Next(2) == 0;
            using var build = BuildProcess.Start(Arguments(force ? ["--force"] : []));
            var started = build.WaitUntil(() => build.Output.Contains("Ingest date=", StringComparison.Ordinal));
            if (started is not null)
            {
                writer.Start();
            }

            build.Finish();
            writer.Stop();

            build.ExitCode.ShouldBeOneOf([0, 1], build.Output);
            build.Output.ShouldNotContain("One or more errors occurred");
            var retries = build.Output.Split('\n').Count(l => l.Contains("input changed while the stage ran", StringComparison.Ordinal));
            retried += retries;
            failedRuns += build.ExitCode == 1 ? 1 : 0;
            var traced = Trace(days, writer);
            checkedCheckpoints += traced;
            output.WriteLine($"run {run,2}{(force ? " --force" : "        ")}: exit {build.ExitCode}, {retries} retries for an input that moved, {traced} checkpoints traced, rewrites so far {writer.SameBytes} same bytes / {writer.OtherBytes} other bytes");
        }

        using (var calm = BuildProcess.Start(Arguments([])).Finish().ShouldExitWith(0))
        {
            Trace(days, writer).ShouldBe(Days);
            foreach (var day in days)
            {
                InputHash(day).ShouldBe(ContentHasher.HashBytes(writer.Now(Raw(day))).ToString(), $"the calm run brought {day} up to date with the file as it is");
            }
        }

        output.WriteLine($"{Runs} runs under a concurrent writer in {clock.Elapsed.TotalSeconds:0} s (seed {Seed}): {writer.SameBytes + writer.OtherBytes} rewrites ({writer.SameBytes} to the same bytes), {retried} cell retries for an input that moved, {failedRuns} runs failed a cell, {checkedCheckpoints} checkpoint readings traced to their bytes, none built from others");
        checkedCheckpoints.ShouldBeGreaterThan(0);
    }

    /// <summary>Checks every Ingest checkpoint against the bytes its input hash stands for; returns how many it checked.</summary>
    private int Trace(IReadOnlyList<string> days, ConcurrentWriter writer)
    {
        var traced = 0;
        foreach (var day in days)
        {
            var path = _env.PathOf($"ws/checkpoints/date={day}/Ingest.ok");
            if (!File.Exists(path))
            {
                continue;
            }

            var checkpoint = JsonNode.Parse(File.ReadAllText(path))!;
            var inputHash = checkpoint["inputs"]![0]!["hash"]!.GetValue<string>();
            var outputHash = checkpoint["outputs"]![0]!["hash"]!.GetValue<string>();
            var bytes = writer.StateOf(Raw(day), inputHash);
            bytes.ShouldNotBeNull($"{path} records input hash {inputHash}, which stands for no bytes {Raw(day)} ever held");
            Ingested(bytes).ShouldBe(outputHash, $"{path}: the output it records is not what Ingest makes of the input bytes it records ({bytes.Length} of them)");
            ContentHasher.HashFile(_env.PathOf($"ws/data/ingested/date={day}/weather.csv")).ToString().ShouldBe(outputHash, $"{path}: the output in the workspace is not the one recorded");
            traced++;
        }

        return traced;
    }

    private string InputHash(string day) =>
        JsonNode.Parse(File.ReadAllText(_env.PathOf($"ws/checkpoints/date={day}/Ingest.ok")))!["inputs"]![0]!["hash"]!.GetValue<string>();

    /// <summary>The hash of what Ingest makes of these bytes as a file named weather.csv; null when it refuses them.</summary>
    private string? Ingested(byte[] bytes)
    {
        var key = ContentHasher.HashBytes(bytes).ToString();
        if (_ingested.TryGetValue(key, out var known))
        {
            return known;
        }

        var folder = _env.CreateFolder($"reference/{_ingested.Count}");
        var raw = Path.Combine(folder, "weather.csv");
        File.WriteAllBytes(raw, bytes);
        var ingest = new IngestCsv { BuildEngine = new RecordingBuildEngine(), Sources = [new TaskItem(raw)], Output = Path.Combine(folder, "out.csv") };
        var made = ingest.Execute() ? ContentHasher.HashFile(ingest.Output).ToString() : null;
        _ingested[key] = made;
        return made;
    }

    private string Raw(string day) => _env.PathOf($"raw/date={day}/weather.csv");

    private string[] Arguments(string[] more) => ["--target=Ingest", $"--raw={_env.PathOf("raw")}", $"--workspace={_env.PathOf("ws")}", .. more];

    /// <summary>The day's sample row <see cref="RowsPerDay"/> times, its wind told apart by row and by variant.</summary>
    private static byte[] Variant(string day, int variant)
    {
        var fields = Sample.Single(l => l.StartsWith(day + ",", StringComparison.Ordinal)).Split(',');
        var text = new StringBuilder(Sample[0]).Append('\n');
        for (var row = 0; row < RowsPerDay; row++)
        {
            fields[4] = string.Create(CultureInfo.InvariantCulture, $"{variant * 10 + row / 10.0:0.0}");
            text.AppendJoin(',', fields).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
