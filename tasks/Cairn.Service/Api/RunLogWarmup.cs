using Cairn.Service.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cairn.Service.Api;

/// <summary>Reads the run log's history once at start, in the background, so that the first dashboard or /metrics request after a start is as quick as the rest.</summary>
internal sealed class RunLogWarmup : BackgroundService
{
    private readonly ServiceState _state;
    private readonly RunLogs _logs;
    private readonly ILogger<RunLogWarmup> _log;

    public RunLogWarmup(ServiceState state, RunLogs logs, ILogger<RunLogWarmup> log)
    {
        _state = state;
        _logs = logs;
        _log = log;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(
        () =>
        {
            foreach (var pipeline in _state.Pipelines.TakeWhile(_ => !stoppingToken.IsCancellationRequested))
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var runs = _logs.Newest(pipeline, int.MaxValue).Count;
                if (runs > 0)
                {
                    _log.LogInformation("read the {Runs} run(s) of {Pipeline} in its run log in {Seconds:0.0} s", runs, pipeline.Name, clock.Elapsed.TotalSeconds);
                }
            }
        },
        stoppingToken);
}
