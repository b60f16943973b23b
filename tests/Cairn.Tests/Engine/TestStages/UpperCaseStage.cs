using Cairn.Stages;
using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace Cairn.Tests.Engine.TestStages;

/// <summary>A partitioned test stage: upper-cases its input's lines and appends a suffix to each.</summary>
public sealed class UpperCaseStage : Task
{
    [Required]
    [StageInput]
    public ITaskItem[] Sources { get; set; } = [];

    [Required]
    [StageOutput]
    public string Output { get; set; } = string.Empty;

    [StageParameter]
    public string Suffix { get; set; } = string.Empty;

    [Output]
    [StageMetric]
    public long Rows { get; set; }

    public override bool Execute()
    {
        var lines = Sources.SelectMany(s => File.ReadAllLines(s.ItemSpec)).Select(l => l.ToUpperInvariant() + Suffix).ToList();
        Directory.CreateDirectory(Path.GetDirectoryName(Output)!);
        File.WriteAllLines(Output, lines);
        Rows = lines.Count;
        return true;
    }
}
