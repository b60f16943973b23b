using System.Reflection;
using Cairn.Engine.Configuration;
using Cairn.Engine.Hosting;
using Cairn.Engine.Observing;

namespace Cairn.Engine.Notifications;

/// <summary>Makes the observers for a pipeline's <c>notify:</c> list.</summary>
internal static class Notifiers
{
    /// <summary>
    /// One observer per notifier. A webhook whose URL names an unset (or empty) <c>${VARIABLE}</c> is left out, so one
    /// pipeline file serves runs with and without the secret; one that expands to something other than a web address is
    /// a problem. They deliver through one <see cref="NotificationQueue"/>, the last observer of the list, which the
    /// run's end waits for at most the longest notifier's budget.
    /// </summary>
    public static List<IRunObserver> Create(PipelineDefinition pipeline, HostEnvironment host, List<string> problems)
    {
        var version = typeof(Notifiers).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var observers = new List<IRunObserver>();
        var queue = new NotificationQueue(pipeline.Notifiers.Select(n => n.Budget).DefaultIfEmpty(TimeSpan.Zero).Max());
        // A delivery's budget is the network's and the receiver's time: the real clock, whatever clock the run is given.
        var time = TimeProvider.System;
        foreach (var notifier in pipeline.Notifiers)
        {
            if (notifier.Kind == NotifierKind.Command)
            {
                observers.Add(new CommandNotifier(notifier, queue, pipeline.Directory, time, pipeline.FilePath));
                continue;
            }

            var url = NotifySection.Expand(notifier.Target, host.Variable);
            if (url is null)
            {
                continue;
            }

            if (!NotifySection.IsWebUrl(url))
            {
                var names = string.Join(", ", NotifySection.VariablesIn(notifier.Target));
                problems.Add($"{notifier.Source}: webhook '{notifier.Target}' is not an http:// or https:// URL once {names} is filled in; set {names} to the webhook's whole address.");
                continue;
            }

            observers.Add(new WebhookNotifier(notifier, queue, new Uri(url), version, time, pipeline.FilePath));
        }

        if (observers.Count > 0)
        {
            observers.Add(queue);
        }
        else
        {
            queue.Dispose();
        }

        return observers;
    }
}
