using Cairn.Stages;
using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace Cairn.Tests.Hashing.FixtureStages;

/// <summary>
/// A partitioned stage of the pre-XxHash128 workspace fixture: keeps the last <see cref="Keep"/> bytes of its input.
/// Its code is part of every fingerprint the fixture recorded, so it must not change (see the fixture's README.md).
/// </summary>
public sealed class TailStage : Task
{
    [Required]
    [StageInput]
    public ITaskItem[] Sources { get; set; } = [];

    [Required]
    [StageOutput]
    public string Output { get; set; } = string.Empty;

    [StageParameter]
    public int Keep { get; set; }

    public override bool Execute()
    {
        var content = File.ReadAllBytes(Sources.Single().ItemSpec);
        Directory.CreateDirectory(Path.GetDirectoryName(Output)!);
        File.WriteAllBytes(Output, content[Math.Max(0, content.Length - Keep)..]);
        return true;
    }
}
