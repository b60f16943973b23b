using Cairn.Stages;
using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace Cairn.Tests.Reporting.TestStages;

/// <summary>A whole-dataset test stage that adds its input's text to a history file unless it is the history's last line already.</summary>
public sealed class HistoryStage : Task
{
    [Required]
    [StageInput]
    public string Input { get; set; } = string.Empty;

    [Required]
    [StageOutput(Accumulates = true)]
    public string History { get; set; } = string.Empty;

    public override bool Execute()
    {
        var lines = File.Exists(History) ? File.ReadAllLines(History).ToList() : [];
        var current = File.ReadAllText(Input).Trim().Replace('\n', ' ');
        if (lines.Count == 0 || lines[^1] != current)
        {
            lines.Add(current);
        }

        File.WriteAllText(History, string.Join("\n", lines) + "\n");
        return true;
    }
}
