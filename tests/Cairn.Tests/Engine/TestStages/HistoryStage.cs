using Cairn.Stages;
using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace Cairn.Tests.Engine.TestStages;

/// <summary>A whole-dataset test stage whose output accumulates: each run appends its input to the history it was given.</summary>
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
        File.AppendAllText(History, File.ReadAllText(Input));
        return true;
    }
}
