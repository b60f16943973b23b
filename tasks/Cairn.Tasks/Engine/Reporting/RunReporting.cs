using Cairn.Engine.Hosting;
using Cairn.Engine.Notifications;
using Cairn.Engine.Observing;
using Cairn.Engine.Plan;

namespace Cairn.Engine.Reporting;

/// <summary>
/// The observers a run gets from where it runs: progress (a status line on a terminal, a line every
/// <see cref="CiProgressInterval"/> in CI, nothing when the output is a file), GitHub Actions groups, annotations and
/// step summary, and the pipeline's notifiers.
/// </summary>
internal sealed class RunReporting
{
    public static readonly TimeSpan CiProgressInterval = TimeSpan.FromSeconds(10);

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
        var ci = host.IsTrue("CI") || host.IsTrue("GITHUB_ACTIONS");
        if (ci)
        {
            observers.Add(ProgressObserver.InLines(output, host.Time, CiProgressInterval));
        }
        else if (host.OutputIsTerminal)
        {
            var status = new StatusLineWriter(output);
            output = status;
            observers.Add(ProgressObserver.OnTerminal(status, host.Time));
        }

        if (host.IsTrue("GITHUB_ACTIONS"))
        {
            var record = new RunRecord(plan.Stages.Select(s => s.Name).ToList(), plan.DagEdges) { PartitionKey = plan.Definition.Partitions.Key };
            observers.Add(new GitHubActionsObserver(output, host.Variable("GITHUB_STEP_SUMMARY"), record));
        }

        var problems = new List<string>();
        observers.AddRange(Notifiers.Create(plan.Definition, host, problems));
        if (problems.Count > 0)
        {
            throw new CairnUsageException(problems);
        }

        return new RunReporting(output, observers);
    }
}
