using Cairn.Stages;
using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace Cairn.Tests.Engine.TestStages;

/// <summary>A whole-dataset test stage with a directory output: one file per line of its input, named by the line.</summary>
public sealed class FolderStage : Task
{
    [Required]
    [StageInput]
    public string Input { get; set; } = string.Empty;

    [Required]
    [StageOutput(IsDirectory = true)]
    public string Folder { get; set; } = string.Empty;

    public override bool Execute()
    {
        Directory.CreateDirectory(Folder);
        foreach (var line in File.ReadAllLines(Input).Where(l => l.Length > 0).Distinct())
        {
            File.WriteAllText(Path.Combine(Folder, line.ToLowerInvariant() + ".txt"), line);
        }

        return true;
    }
}
