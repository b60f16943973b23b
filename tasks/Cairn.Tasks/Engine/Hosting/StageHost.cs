using System.Globalization;
using Cairn.Engine.Model;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Cairn.Engine.Hosting;

/// <summary>
/// Runs one stage task in-process: creates it, sets its declared properties, calls <c>Execute</c> and reads its
/// metrics. A stage fails when <c>Execute</c> returns false, when it logged an error, or when it throws.
/// </summary>
internal static class StageHost
{
    public static StageOutcome Run(
        StageDescriptor descriptor,
        IReadOnlyDictionary<string, IReadOnlyList<string>> inputs,
        IReadOnlyDictionary<string, string> outputs,
        IReadOnlyDictionary<string, object> parameters,
        StageBuildEngine engine)
    {
        var task = (ITask)Activator.CreateInstance(descriptor.TaskType)!;
        task.BuildEngine = engine;

        foreach (var property in descriptor.Inputs)
        {
            if (!inputs.TryGetValue(property.Name, out var files))
            {
                continue;
            }

            object value = property.Kind == StagePropertyKind.InputList
                ? files.Select(f => (ITaskItem)new TaskItem(f)).ToArray()
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

        bool returned;
        try
        {
            returned = task.Execute();
        }
#pragma warning disable CA1031 // A stage is user code: whatever it throws is that stage's failure, reported with the exception kept.
        catch (Exception e)
#pragma warning restore CA1031
        {
            engine.Note($"exception: {e}");
            return new StageOutcome(false, $"{e.GetType().Name}: {e.Message}", e, new Dictionary<string, double>());
        }

        if (engine.Errors.Count > 0)
        {
            return new StageOutcome(false, engine.Errors[0], null, new Dictionary<string, double>());
        }

        if (!returned)
        {
            return new StageOutcome(false, "Execute returned false without logging an error", null, new Dictionary<string, double>());
        }

        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var metric in descriptor.Metrics)
        {
            metrics[metric.Name] = Convert.ToDouble(metric.Info.GetValue(task), CultureInfo.InvariantCulture);
        }

        return new StageOutcome(true, null, null, metrics);
    }
}
