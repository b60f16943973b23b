using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Cairn.Benchmarks;

/// <summary>Runs the micro-benchmarks in this process (no generated project to build): <c>Cairn.Benchmarks [--filter *Stat*]</c>.</summary>
internal static class Program
{
    private static void Main(string[] args)
    {
        var artifacts = Environment.GetEnvironmentVariable("CAIRN_BENCH_ARTIFACTS") ?? Path.Combine(Path.GetTempPath(), "cairn-benchmarks");
        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(10))
            .WithArtifactsPath(artifacts)
            .WithOptions(ConfigOptions.DisableLogFile);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args.Length == 0 ? ["--filter", "*"] : args, config);
    }
}
