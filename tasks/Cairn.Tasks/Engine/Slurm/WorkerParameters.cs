using System.Globalization;
using Cairn.Engine.Model;

namespace Cairn.Engine.Slurm;

/// <summary>
/// A cell's parameter values as text for the worker, and back: every type a stage parameter may have (string, string[],
/// bool, int, long, double) round-trips exactly (a double as its shortest round-trip form).
/// </summary>
internal static class WorkerParameters
{
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ToText(IReadOnlyDictionary<string, object> parameters) =>
        parameters.ToDictionary(
            p => p.Key,
            p => p.Value switch
            {
                string[] list => (IReadOnlyList<string>)list,
                double d => [d.ToString("R", CultureInfo.InvariantCulture)],
                bool b => [b ? "true" : "false"],
                _ => [Convert.ToString(p.Value, CultureInfo.InvariantCulture) ?? string.Empty],
            },
            StringComparer.Ordinal);

    public static Dictionary<string, object> FromText(StageDescriptor descriptor, IReadOnlyDictionary<string, IReadOnlyList<string>> parameters)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (name, text) in parameters)
        {
            var type = descriptor.Find(name)?.Info.PropertyType
                ?? throw new InvalidDataException($"The stage task {descriptor.TaskType.FullName} has no parameter '{name}'; the worker runs another build of the stage assembly than the coordinator.");
            values[name] = type == typeof(string[]) ? text.ToArray()
                : type == typeof(bool) ? bool.Parse(text[0])
                : type == typeof(int) ? int.Parse(text[0], CultureInfo.InvariantCulture)
                : type == typeof(long) ? long.Parse(text[0], CultureInfo.InvariantCulture)
                : type == typeof(double) ? double.Parse(text[0], CultureInfo.InvariantCulture)
                : text[0];
        }

        return values;
    }
}
