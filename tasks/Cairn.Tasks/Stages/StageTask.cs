using Microsoft.Build.Framework;

namespace Cairn.Stages;

/// <summary>
/// A convenient base for stage tasks: an MSBuild task that can be cancelled. When the run is cancelled (Ctrl+C,
/// SIGTERM) or a cell outlives its timeout, the host calls <see cref="Cancel"/>; the stage calls
/// <see cref="ThrowIfCancelled"/> in its loops and so stops promptly. Under real MSBuild, Ctrl+C cancels it the same way.
/// </summary>
public abstract class StageTask : Microsoft.Build.Utilities.Task, ICancelableTask
{
    private volatile bool _cancelled;

    /// <summary>True once the stage was asked to stop.</summary>
    protected bool IsCancellationRequested => _cancelled;

    /// <inheritdoc/>
    public void Cancel() => _cancelled = true;

    /// <summary>Throws <see cref="OperationCanceledException"/> once the stage was asked to stop.</summary>
    protected void ThrowIfCancelled()
    {
        if (_cancelled)
        {
            throw new OperationCanceledException($"{GetType().Name} was asked to stop");
        }
    }
}
