using Cairn.Stages;
using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace Cairn.Tests.Engine.TestStages;

/// <summary>
/// A partitioned test stage that throws an <see cref="IOException"/> on its first <see cref="Failures"/> attempts
/// for a cell, counting attempts in a file next to its input (a transient fault that goes away).
/// </summary>
public sealed class FlakyStage : Task
{
    [Required]
    [StageInput]
    public string Input { get; set; } = string.Empty;

    [Required]
    [StageOutput]
    public string Output { get; set; } = string.Empty;

    [StageParameter]
    public int Failures { get; set; }

    [StageParameter]
    public string Partition { get; set; } = string.Empty;

    public override bool Execute()
    {
        var counter = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(Input))!, $"attempts-{Partition}.txt");
        var attempt = (File.Exists(counter) ? int.Parse(File.ReadAllText(counter), System.Globalization.CultureInfo.InvariantCulture) : 0) + 1;
        File.WriteAllText(counter, attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(Path.GetDirectoryName(Output)!);
        File.WriteAllText(Output, "partial");
        if (attempt <= Failures)
        {
            throw new IOException($"disk hiccup {attempt}");
        }

        File.WriteAllText(Output, File.ReadAllText(Input));
        return true;
    }
}
