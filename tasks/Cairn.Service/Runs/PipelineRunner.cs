using Cairn.Engine.Workspace;
using Cairn.Service.Api;
using Cairn.Service.Hosting;
using Cairn.Service.Pipelines;

namespace Cairn.Service.Runs;

/// <summary>
/// Runs one attempt in-process through the engine's host entry, as the Cake script does: open the session with the
/// target, the arguments and the target graph, run the target's stages in data-flow order, finish. The run id and the
/// trigger are the queued run's, so the run log records them.
/// </summary>
internal sealed class PipelineRunner
{
    private readonly ServiceState _state;
    private readonly EventHub _hub;

    public PipelineRunner(ServiceState state, EventHub hub)
    {
        _state = state;
        _hub = hub;
    }

    /// <summary>Runs the attempt to its end; the token cancels it as Ctrl+C cancels a CLI run (recorded as cancelled).</summary>
    public AttemptResult Run(ServedPipeline pipeline, QueuedRun run, TextWriter output, CancellationToken token)
    {
        var arguments = PipelineCatalog.Engine(pipeline.RunArguments.Concat(run.Partitions.Arguments()));
        foreach (var (name, values) in run.Arguments)
        {
            arguments[name] = values;
        }

        // Waiting is the service's own (it keeps the run queued and can stop); the engine fails at once instead.
        arguments["no-wait"] = ["true"];
        var progress = new ProgressEvents(_hub, pipeline.Name);
        CairnSession session;
        try
        {
            session = CairnSession.Open(_state.Arguments.RepositoryRoot, pipeline.File, run.Target, arguments, pipeline.TargetGraph, output, [progress], PipelineCatalog.Host(run.Trigger, run.Id));
        }
        catch (CairnUsageException e) when (e.InnerException is WorkspaceBusyException)
        {
            return new AttemptResult(AttemptStatus.Busy, e.Message);
        }
        catch (CairnUsageException e)
        {
            return new AttemptResult(AttemptStatus.Refused, e.Message);
        }

        using (session)
        using (token.Register(() => session.Cancel("the service is stopping")))
        {
            foreach (var stage in pipeline.Upstream(run.Target))
            {
                if (!session.Step(s => s.RunStage(stage)))
                {
                    break;
                }
            }

            session.Finish(null);
        }

        return progress.Finished?.Status switch
        {
            "succeeded" => new AttemptResult(AttemptStatus.Succeeded, null),
            "cancelled" => new AttemptResult(AttemptStatus.Cancelled, progress.Finished.Failure ?? "cancelled"),
            "held" => new AttemptResult(AttemptStatus.Held, progress.Finished.Failure ?? "awaiting approval"),
            _ => new AttemptResult(AttemptStatus.Failed, progress.Finished?.Failure ?? "the run failed"),
        };
    }
}
