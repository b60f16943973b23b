using Cairn.Engine.Configuration;
using Cairn.Engine.Partitions;
using Cairn.Service.Pipelines;
using Quartz;

namespace Cairn.Service.Scheduling;

/// <summary>
/// What only the service can check of a pipeline's schedules: that Quartz reads the cron expression, that its window
/// is no finer than the pipeline's partitions, and that a dependency names a pipeline it runs.
/// </summary>
internal static class ScheduleChecks
{
    public static void Check(ServedPipeline pipeline, IReadOnlyList<string> served, List<string> problems)
    {
        foreach (var schedule in pipeline.Schedules)
        {
            if (schedule.Kind == ScheduleKind.Cron)
            {
                try
                {
                    _ = Cron(schedule);
                }
                catch (FormatException e)
                {
                    problems.Add($"{schedule.Source}: schedule '{schedule.Name}' cron '{schedule.Cron}' does not parse: {e.Message}");
                }

                var scheme = pipeline.Definition.Partitions;
                if (PartitionWindows.IsFinerThan(schedule.Partitions.Kind, scheme.Grain))
                {
                    var windows = scheme.Grain == PartitionGrain.Month ? "previous_month or all" : "previous_day, previous_month, 'last 7 days' or all";
                    var grain = schedule.Partitions.Kind == PartitionWindowKind.PreviousHour ? "hour" : "day";
                    problems.Add($"{schedule.Source}: schedule '{schedule.Name}' takes partitions: {schedule.Partitions}, finer than this pipeline's partitions, which are {scheme.Unit}s (partitions: grain: {scheme.GrainName}); write {windows}, or declare partitions: grain: {grain}.");
                }
            }

            if (schedule.Kind == ScheduleKind.After && schedule.AfterPipeline is { } upstream)
            {
                if (upstream == pipeline.Name)
                {
                    problems.Add($"{schedule.Source}: schedule '{schedule.Name}' runs pipeline '{upstream}' after itself, which would never stop; name another pipeline.");
                }
                else if (!served.Contains(upstream))
                {
                    problems.Add($"{schedule.Source}: schedule '{schedule.Name}' runs after pipeline '{upstream}', which this service does not run; it runs {string.Join(", ", served)} (add --pipeline={upstream}).");
                }
            }
        }
    }

    /// <summary>The schedule's cron expression in its time zone: five fields are crontab's (minutes first), six or seven Quartz's (seconds first).</summary>
    /// <exception cref="FormatException">Quartz cannot read it.</exception>
    public static CronExpression Cron(ScheduleDefinition schedule)
    {
        var text = schedule.Cron!;
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        var expression = fields == 5 ? CronExpression.Parse(text, CronFormat.Unix) : CronExpression.Parse(text);
        return expression.WithTimeZone(TimeZone(schedule));
    }

    public static TimeZoneInfo TimeZone(ScheduleDefinition schedule) => TimeZoneInfo.FindSystemTimeZoneById(schedule.TimeZone);
}
