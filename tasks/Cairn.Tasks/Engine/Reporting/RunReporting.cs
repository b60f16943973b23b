using Cairn.Engine.Hosting;
using Cairn.Engine.Notifications;
using Cairn.Engine.Observing;
using Cairn.Engine.Runs;

namespace Cairn.Engine.Reporting;

/// <summary>The observers a run gets from where it runs: the pipeline's notifiers.</summary>
internal sealed class RunReporting
{
    private RunReporting(TextWriter output, IReadOnlyList<IRunObserver> observers)
    {
        Output = output;
        Observers = observers;
    }

    /// <summary>Where the run writes: the given output, or on a terminal the same wrapped to keep a status line.</summary>
    public TextWriter Output { get; }

    public IReadOnlyList<IRunObserver> Observers { get; }

    /// <exception cref="CairnUsageException">A notifier cannot be used as configured.</exception>
    public static RunReporting Attach(PipelinePlan plan, HostEnvironment host, TextWriter output)
    {
        var observers = new List<IRunObserver>();
        var problems = new List<string>();
        observers.AddRange(Notifiers.Create(plan.Definition, host, problems));
        if (problems.Count > 0)
        {
            throw new CairnUsageException(problems);
        }

        return new RunReporting(output, observers);
    }
}
