using Cairn.Engine.Observing;

namespace Cairn.Engine.Runs;

/// <summary>The run's observers, told of each event in turn; one that fails is reported as a warning and skipped, never failing the run.</summary>
internal sealed class RunObservers
{
    private readonly IReadOnlyList<IRunObserver> _observers;
    private readonly RunOutput _output;

    public RunObservers(IReadOnlyList<IRunObserver> observers, RunOutput output)
    {
        _observers = observers;
        _output = output;
    }

    public void Notify(Action<IRunObserver> tell)
    {
        foreach (var observer in _observers)
        {
            try
            {
                tell(observer);
            }
#pragma warning disable CA1031 // An observer (run log, webhook, CI annotations) must not be able to fail the run it observes.
            catch (Exception e)
#pragma warning restore CA1031
            {
                // The notification queue reports every event it could not deliver at once, each by its notifier.
                var failures = e is AggregateException all ? all.InnerExceptions : [e];
                foreach (var failure in failures)
                {
                    if (failure is ObserverWarningException)
                    {
                        _output.Warning(failure.Message);
                    }
                    else
                    {
                        _output.ObserverFailed(failure is Notifications.NotificationFailedException { Notifier: var notifier } ? notifier : observer.GetType().Name, failure.Message);
                    }
                }
            }
        }
    }
}
