using Cairn.Stages;
using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace Cairn.Tests.Engine.TestStages;

/// <summary>A whole-dataset test stage: concatenates every part into one file.</summary>
public sealed class ConcatStage : Task
{
    [Required]
    [StageInput]
    public ITaskItem[] Parts { get; set; } = [];

    [Required]
    [StageOutput]
    public string Combined { get; set; } = string.Empty;

    [Output]
    [StageMetric]
    public long PartsRead { get; set; }

    public override bool Execute()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Combined)!);
        File.WriteAllText(Combined, string.Concat(Parts.Select(p => File.ReadAllText(p.ItemSpec))));
        PartsRead = Parts.Length;
        return true;
    }
}
