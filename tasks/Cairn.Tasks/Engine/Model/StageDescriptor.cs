using System.Reflection;
using Cairn.Engine.Configuration;
using Cairn.Stages;
using Microsoft.Build.Framework;

namespace Cairn.Engine.Model;

/// <summary>
/// What a stage task class declares, read once by reflection: its inputs, outputs, parameters, metrics
/// and the version of its code.
/// </summary>
internal sealed class StageDescriptor
{
    private static readonly Type[] ParameterTypes = [typeof(string), typeof(bool), typeof(int), typeof(long), typeof(double), typeof(string[])];

    private StageDescriptor(Type taskType, IReadOnlyList<StageProperty> properties, string codeVersion)
    {
        TaskType = taskType;
        Properties = properties;
        CodeVersion = codeVersion;
    }

    public Type TaskType { get; }

    public IReadOnlyList<StageProperty> Properties { get; }

    /// <summary>A hash of the stage's compiled code (see <see cref="CodeVersion"/>); changes when the stage's code changes.</summary>
    public string CodeVersion { get; }

    public IEnumerable<StageProperty> Inputs => Properties.Where(p => p.Kind is StagePropertyKind.Input or StagePropertyKind.InputList);

    public IEnumerable<StageProperty> Outputs => Properties.Where(p => p.Kind is StagePropertyKind.Output or StagePropertyKind.OutputDirectory);

    public IEnumerable<StageProperty> Parameters => Properties.Where(p => p.Kind == StagePropertyKind.Parameter);

    public IEnumerable<StageProperty> Metrics => Properties.Where(p => p.Kind == StagePropertyKind.Metric);

    public StageProperty? Find(string name) => Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));

    /// <summary>Reads a task type's declaration; every problem is reported at once.</summary>
    public static StageDescriptor Describe(Type taskType)
    {
        var problems = new List<string>();
        if (!typeof(ITask).IsAssignableFrom(taskType) || taskType.IsAbstract)
        {
            problems.Add($"{taskType.FullName} is not a concrete MSBuild task; derive it from Microsoft.Build.Utilities.Task.");
        }
        else if (taskType.GetConstructor(Type.EmptyTypes) is null)
        {
            problems.Add($"{taskType.FullName} needs a public parameterless constructor so MSBuild and Cairn can create it.");
        }

        var properties = new List<StageProperty>();
        foreach (var info in taskType.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var required = info.IsDefined(typeof(RequiredAttribute), inherit: true);
            var kinds = new List<StagePropertyKind>();
            if (info.GetCustomAttribute<StageInputAttribute>() is not null)
            {
                if (info.PropertyType == typeof(string))
                {
                    kinds.Add(StagePropertyKind.Input);
                }
                else if (info.PropertyType == typeof(ITaskItem[]))
                {
                    kinds.Add(StagePropertyKind.InputList);
                }
                else
                {
                    problems.Add($"{taskType.Name}.{info.Name}: a [StageInput] must be string (one file) or ITaskItem[] (files), not {info.PropertyType.Name}.");
                }
            }

            if (info.GetCustomAttribute<StageOutputAttribute>() is { } output)
            {
                if (info.PropertyType == typeof(string))
                {
                    kinds.Add(output.IsDirectory ? StagePropertyKind.OutputDirectory : StagePropertyKind.Output);
                    if (output.IsDirectory && output.Accumulates)
                    {
                        problems.Add($"{taskType.Name}.{info.Name}: a directory output cannot accumulate; make it a file, or drop Accumulates.");
                    }
                }
                else
                {
                    problems.Add($"{taskType.Name}.{info.Name}: a [StageOutput] must be a string path, not {info.PropertyType.Name}.");
                }
            }

            if (info.GetCustomAttribute<StageParameterAttribute>() is not null)
            {
                if (ParameterTypes.Contains(info.PropertyType))
                {
                    kinds.Add(StagePropertyKind.Parameter);
                }
                else
                {
                    problems.Add($"{taskType.Name}.{info.Name}: a [StageParameter] must be one of string, bool, int, long, double, string[]; not {info.PropertyType.Name}.");
                }
            }

            if (info.GetCustomAttribute<StageMetricAttribute>() is not null)
            {
                if (info.PropertyType == typeof(long) || info.PropertyType == typeof(double) || info.PropertyType == typeof(int))
                {
                    kinds.Add(StagePropertyKind.Metric);
                }
                else
                {
                    problems.Add($"{taskType.Name}.{info.Name}: a [StageMetric] must be long, int or double, not {info.PropertyType.Name}.");
                }
            }

            if (kinds.Count > 1)
            {
                problems.Add($"{taskType.Name}.{info.Name}: a property is one of input, output, parameter or metric, not {string.Join(" and ", kinds)}.");
            }
            else if (kinds.Count == 1)
            {
                properties.Add(new StageProperty(info.Name, kinds[0], info, required) { Contract = info.GetCustomAttribute<StageInputAttribute>()?.Contract == true });
            }
        }

        if (problems.Count > 0)
        {
            throw new CairnConfigurationException(string.Join(Environment.NewLine, problems));
        }

        return new StageDescriptor(taskType, properties, Model.CodeVersion.Of(taskType));
    }
}
