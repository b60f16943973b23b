using System.Diagnostics;
using System.Globalization;
using Cairn.Stages;
using Cairn.Stages.Common;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Cairn.Bench;

/// <summary>
/// One measurement in a fresh process (stages' child): a built-in stage run once on a small warm-up file (so that
/// the measured run is not the JIT's), then on the measured file. Prints the rows, the CPU time and wall time of the
/// measured run, and the process's peak resident memory (VmHWM), so that peak memory is the stage's, per file size.
/// </summary>
internal static class StageRunCommand
{
    /// <summary>
    /// <c>stage-run ingest WARMUP INPUT OUTPUT</c>, <c>stage-run validate WARMUP INPUT CONTRACT PARTITION PROFILE</c>, or
    /// <c>stage-run parquet-read WARMUP INPUT</c>: Parquet.Net alone decoding every column of every row group, the
    /// ceiling of any Parquet stage built on it.
    /// </summary>
    public static int Run(IReadOnlyList<string> arguments)
    {
        if (arguments is ["parquet-read", var warmup, var file])
        {
            ParquetCeiling.Read(warmup);
            return Report(() => ParquetCeiling.Read(file));
        }

        Func<string, StageTask> create = arguments switch
        {
            ["ingest", _, _, var output] => input => new Ingest { Sources = [new TaskItem(input)], Output = output },
            ["validate", _, _, var contract, var partition, var profile] => input => new ValidateContract { Input = input, Contract = contract, Partition = partition, Profile = profile },
            _ => throw new FormatException("usage: stage-run ingest WARMUP INPUT OUTPUT | stage-run validate WARMUP INPUT CONTRACT PARTITION PROFILE"),
        };
        Execute(create(arguments[1]));
        return Report(() =>
        {
            var task = create(arguments[2]);
            Execute(task);
            return task switch
            {
                Ingest ingest => ingest.RowsIn,
                ValidateContract validate => validate.Rows,
                _ => 0,
            };
        });
    }

    private static int Report(Func<long> measured)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes();
        var clock = Stopwatch.StartNew();
        var rows = measured();
        var wall = clock.Elapsed;
        process.Refresh();
        cpu = process.TotalProcessorTime - cpu;
        allocated = GC.GetTotalAllocatedBytes() - allocated;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rows {rows}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cpu_ms {cpu.TotalMilliseconds:0.#}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wall_ms {wall.TotalMilliseconds:0.#}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak_kb {PeakKilobytes()}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"allocated_mb {allocated / 1048576.0:0.#}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gc_count {GC.CollectionCount(0)} {GC.CollectionCount(1)} {GC.CollectionCount(2)}"));
        return 0;
    }

    private static void Execute(StageTask task)
    {
        var engine = new ConsoleBuildEngine();
        task.BuildEngine = engine;
        if (!task.Execute())
        {
            throw new InvalidOperationException($"{task.GetType().Name} failed: {string.Join("; ", engine.Errors)}");
        }
    }

    private static long PeakKilobytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmHWM:".Length..].Replace("kB", string.Empty, StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
