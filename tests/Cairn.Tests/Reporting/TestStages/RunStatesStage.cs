using Cairn.Stages;
using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace Cairn.Tests.Reporting.TestStages;

/// <summary>A whole-dataset test stage that writes the <c>{run}</c> states it was given, one a line, after its input's text.</summary>
public sealed class RunStatesStage : Task
{
    [Required]
    [StageInput]
    public string Input { get; set; } = string.Empty;

    [StageParameter]
    public string[] States { get; set; } = [];

    [Required]
    [StageOutput]
    public string Output { get; set; } = string.Empty;

    public override bool Execute()
    {
        File.WriteAllText(Output, File.ReadAllText(Input) + string.Join("\n", States) + "\n");
        return true;
    }
}
