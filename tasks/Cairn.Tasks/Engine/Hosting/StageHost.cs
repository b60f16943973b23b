using System.Globalization;
using Cairn.Engine.Model;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Cairn.Engine.Hosting;

/// <summary>
/// Runs one attempt of a stage task in-process: creates it, sets its declared properties, calls <c>Execute</c> on a
/// worker thread and reads its metrics. A stage fails when <c>Execute</c> returns false, when it logged an error,
/// when it throws, or when it outlives its timeout or the run is cancelled: then an <see cref="ICancelableTask"/> is
/// asked to stop, and is given a short grace period before the attempt is abandoned. The worker threads are
/// <see cref="StageThreads"/>, reused from cell to cell.
/// </summary>
internal static class StageHost
{
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(5);

    public static StageOutcome Run(
        StageDescriptor descriptor,
        IReadOnlyDictionary<string, IReadOnlyList<string>> inputs,
        IReadOnlyDictionary<string, string> outputs,
        IReadOnlyDictionary<string, object> parameters,
        StageBuildEngine engine,
        TimeSpan? timeout,
        CancellationToken cancellation)
    {
        var task = (ITask)Activator.CreateInstance(descriptor.TaskType)!;
        task.BuildEngine = engine;

        foreach (var property in descriptor.Inputs)
        {
            if (!inputs.TryGetValue(property.Name, out var files))
            {
                continue;
            }

            // Not as a file path, which MSBuild "fixes" by turning every backslash into a slash: on Linux a backslash is
            // part of a file's name, and the item must name the file that exists.
            object value = property.Kind == StagePropertyKind.InputList
                ? files.Select(f => (ITaskItem)new TaskItem(f, treatAsFilePath: false)).ToArray()
                : files.Single();
            property.Info.SetValue(task, value);
        }

        foreach (var (name, path) in outputs)
        {
            descriptor.Find(name)!.Info.SetValue(task, path);
        }

        foreach (var (name, value) in parameters)
        {
            descriptor.Find(name)!.Info.SetValue(task, value);
        }

        // Waited for by blocking at once: Task.Wait spins first, yielding the processor again and again (sched_yield), and
        // nearly every task outlasts the spinning; on two cores the spinning thread competes with the task it waits for.
        var ended = new ManualResetEventSlim(initialState: false, spinCount: 0);
        var work = StageThreads.Shared.Start(task.Execute, ended);
        using var timeoutSource = timeout is { } limit ? new CancellationTokenSource(limit) : new CancellationTokenSource();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation, timeoutSource.Token);
        try
        {
            ended.Wait(stop.Token);
        }
        catch (OperationCanceledException)
        {
            return Stop(task, work, engine, timedOut: !cancellation.IsCancellationRequested, timeout);
        }

        if (work.Exception is { InnerExceptions.Count: 1 } threw)
        {
            return Threw(threw.InnerExceptions[0], engine);
        }

        var returned = work.Result;
        if (engine.Errors.Count > 0)
        {
            // The metrics too: a failure at a gate a person may open (review_on) still reports what it measured.
            return new StageOutcome(false, engine.Errors[0], null, Metrics(descriptor, task))
            {
                ErrorCodes = engine.ErrorCodes,
                Errors = engine.Errors,
                Amendment = (task as Stages.StageTask)?.Amendment,
            };
        }

        if (!returned)
        {
            return StageOutcome.Failed("Execute returned false without logging an error");
        }

        return new StageOutcome(true, null, null, Metrics(descriptor, task));
    }

    private static SortedDictionary<string, double> Metrics(StageDescriptor descriptor, object task)
    {
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var metric in descriptor.Metrics)
        {
            metrics[metric.Name] = Convert.ToDouble(metric.Info.GetValue(task), CultureInfo.InvariantCulture);
        }

        return metrics;
    }

    private static StageOutcome Threw(Exception e, StageBuildEngine engine)
    {
        engine.Note($"exception: {e}");
        return StageOutcome.Failed($"{e.GetType().Name}: {e.Message}", e) with { ErrorCodes = engine.ErrorCodes };
    }

    private static StageOutcome Stop(ITask task, System.Threading.Tasks.Task<bool> work, StageBuildEngine engine, bool timedOut, TimeSpan? timeout)
    {
        var why = timedOut ? $"timed out after {Configuration.Durations.Format(timeout!.Value)}" : "cancelled";
        engine.Note(why + (task is ICancelableTask ? "; asking the task to stop" : "; the task cannot be asked to stop (no ICancelableTask)"));
        (task as ICancelableTask)?.Cancel();
        try
        {
            if (!work.Wait(GracePeriod))
            {
                engine.Note($"the task did not stop within {GracePeriod.TotalSeconds:0} s; its attempt is abandoned and its outputs discarded");
            }
        }
        catch (AggregateException e)
        {
            engine.Note($"the task stopped with {e.InnerException?.GetType().Name}: {e.InnerException?.Message}");
        }

        return StageOutcome.Failed(why) with { TimedOut = timedOut, Cancelled = !timedOut };
    }
}
