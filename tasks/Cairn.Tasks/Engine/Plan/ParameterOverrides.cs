using Cairn.Engine.Configuration;

namespace Cairn.Engine.Plan;

/// <summary>
/// Reads <c>--set=Stage.parameter=value</c> arguments against the checked pipeline: the stage exists and the target
/// runs it, the task declares the parameter (snake_case or PascalCase), the pipeline does not fill it in itself
/// (<c>{run}</c>, <c>{dag}</c>, <c>{date}</c>, <c>{overrides}</c>, <c>{approvals}</c>), and the value converts to the parameter's type.
/// Every problem is added with its fix, together with the other arguments' problems.
/// </summary>
internal static class ParameterOverrides
{
    private static readonly string[] Placeholders = [ParameterConverter.RunPlaceholder, ParameterConverter.DagPlaceholder, ParameterConverter.OverridesPlaceholder, ParameterConverter.ApprovalsPlaceholder, ParameterConverter.ContractPlaceholder, ParameterConverter.SelectionPlaceholder, PathTemplate.DatePlaceholder, PathTemplate.PartitionPlaceholder];

    /// <param name="settings">The value of each <c>--set</c>, as given.</param>
    /// <param name="plan">The checked pipeline.</param>
    /// <param name="target">The target being run.</param>
    /// <param name="targetGraph">Each target and the targets it depends on.</param>
    /// <param name="problems">Gets a problem with its fix for each <c>--set</c> that cannot be used.</param>
    public static IReadOnlyList<ParameterOverride> Read(IReadOnlyList<string> settings, PipelinePlan plan, string target, IReadOnlyDictionary<string, IReadOnlyList<string>> targetGraph, List<string> problems) =>
        Read(settings, plan, StagesRunBy(target, targetGraph, plan), problems);

    /// <summary>The stages the target and the targets it depends on run; null when it runs none (Status reads every stage).</summary>
    public static IReadOnlySet<string>? StagesRunBy(string target, IReadOnlyDictionary<string, IReadOnlyList<string>> targetGraph, PipelinePlan plan)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([target]);
        while (pending.Count > 0)
        {
            var next = pending.Pop();
            if (seen.Add(next))
            {
                foreach (var dependency in targetGraph.GetValueOrDefault(next) ?? [])
                {
                    pending.Push(dependency);
                }
            }
        }

        seen.IntersectWith(plan.Stages.Select(s => s.Name));
        return seen.Count == 0 ? null : seen;
    }

    private static List<ParameterOverride> Read(IReadOnlyList<string> settings, PipelinePlan plan, IReadOnlySet<string>? targetStages, List<string> problems)
    {
        var overrides = new List<ParameterOverride>();
        foreach (var setting in settings)
        {
            if (Read(setting, plan, targetStages, problems) is not { } read)
            {
                continue;
            }

            if (overrides.FirstOrDefault(o => o.Key == read.Key) is { } earlier)
            {
                problems.Add($"{earlier.Value.Source} and {read.Value.Source} both set {read.Key}; give it once.");
                continue;
            }

            overrides.Add(read);
        }

        return overrides;
    }

    private static ParameterOverride? Read(string setting, PipelinePlan plan, IReadOnlySet<string>? targetStages, List<string> problems)
    {
        var argument = $"--set={setting}";
        var equals = setting.IndexOf('=', StringComparison.Ordinal);
        var dot = equals < 0 ? -1 : setting.LastIndexOf('.', equals);
        if (equals < 0 || dot <= 0 || dot == equals - 1)
        {
            problems.Add($"{argument}: write it as --set=Stage.parameter=value, e.g. --set=Train.l2=0.5.");
            return null;
        }

        var stageName = setting[..dot];
        var name = setting[(dot + 1)..equals];
        var text = setting[(equals + 1)..];
        var stages = plan.Stages.Select(s => s.Name).ToList();
        var stage = plan.Stages.FirstOrDefault(s => string.Equals(s.Name, stageName, StringComparison.OrdinalIgnoreCase));
        if (stage is null)
        {
            problems.Add($"{argument}: there is no stage '{stageName}'.{Suggestion(stageName, stages)} The stages are {string.Join(", ", stages)}.");
            return null;
        }

        var parameters = stage.Descriptor.Parameters.Select(p => p.Name).ToList();
        var propertyName = PipelineLoader.ToPropertyName(name);
        var property = stage.Descriptor.Parameters.FirstOrDefault(p => string.Equals(p.Name, propertyName, StringComparison.OrdinalIgnoreCase));
        if (property is null)
        {
            problems.Add($"{argument}: stage '{stage.Name}' ({stage.Descriptor.TaskType.Name}) has no parameter '{name}'.{Suggestion(propertyName, parameters)} Its parameters are {(parameters.Count == 0 ? "none" : string.Join(", ", parameters))} (snake_case works too: max_iterations for MaxIterations).");
            return null;
        }

        if (stage.Definition.Parameters.GetValueOrDefault(property.Name) is { } bound && FilledByTheEngine(bound) is { } placeholder)
        {
            problems.Add($"{argument}: {stage.Name}'s {property.Name} is bound to {placeholder} at {bound.Source}, which Cairn fills in itself for each {(placeholder is PathTemplate.DatePlaceholder or PathTemplate.PartitionPlaceholder ? "cell" : "run")}, so it cannot be set; drop this --set.");
            return null;
        }

        if (Placeholders.FirstOrDefault(p => text.Contains(p, StringComparison.Ordinal)) is { } given)
        {
            problems.Add($"{argument}: a value set on the command line is taken as written, and {given} is filled in only from the pipeline file; give the value itself.");
            return null;
        }

        var value = ParameterValue.Of(text, argument);
        var type = property.Info.PropertyType;
        string canonical;
        try
        {
            canonical = ParameterConverter.Convert(value, type, partition: null, dagEdges: [], stage.Name, property.Name).Canonical;
        }
        catch (CairnConfigurationException)
        {
            problems.Add($"{argument}: {stage.Name}'s {property.Name} is of type {ParameterConverter.Keyword(type)}, and '{text}' is not one; give {ParameterConverter.Describe(type)}.");
            return null;
        }

        if (targetStages is not null && !targetStages.Contains(stage.Name))
        {
            // Refused rather than warned about: the value would change nothing and be recorded nowhere, which is
            // never what the person typing it meant.
            problems.Add($"{argument}: the target runs {string.Join(", ", plan.Stages.Select(s => s.Name).Where(targetStages.Contains))}, not {stage.Name}, so this value would change nothing; drop it, or run a target that includes {stage.Name} (e.g. --target={stage.Name}).");
            return null;
        }

        return new ParameterOverride(stage.Name, property.Name, value, canonical);
    }

    /// <summary>The placeholder a bound value holds, if the engine fills it in (a run's states, the DAG, the overrides, a cell's day).</summary>
    private static string? FilledByTheEngine(ParameterValue bound) =>
        Placeholders.FirstOrDefault(p => bound.Scalar?.Contains(p, StringComparison.Ordinal) == true || bound.List?.Any(v => v.Contains(p, StringComparison.Ordinal)) == true);

    private static string Suggestion(string given, IReadOnlyList<string> names)
    {
        var near = names.MinBy(n => RunArguments.Distance(n.ToLowerInvariant(), given.ToLowerInvariant()));
        return near is not null && RunArguments.Distance(near.ToLowerInvariant(), given.ToLowerInvariant()) <= 2 ? $" Did you mean {near}?" : string.Empty;
    }
}
