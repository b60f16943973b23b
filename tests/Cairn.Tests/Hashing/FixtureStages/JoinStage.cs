using Cairn.Stages;
using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace Cairn.Tests.Hashing.FixtureStages;

/// <summary>
/// The whole-dataset stage of the pre-XxHash128 workspace fixture: joins every part, in order, into one file.
/// Its code is part of every fingerprint the fixture recorded, so it must not change (see the fixture's README.md).
/// </summary>
public sealed class JoinStage : Task
{
    [Required]
    [StageInput]
    public ITaskItem[] Parts { get; set; } = [];

    [Required]
    [StageOutput]
    public string Joined { get; set; } = string.Empty;

    public override bool Execute()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Joined)!);
        using var output = File.Create(Joined);
        foreach (var part in Parts)
        {
            using var input = File.OpenRead(part.ItemSpec);
            input.CopyTo(output);
        }

        return true;
    }
}
