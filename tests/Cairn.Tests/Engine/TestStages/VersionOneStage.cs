using Cairn.Stages;
using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace Cairn.Tests.Engine.TestStages;

/// <summary>A stage whose code differs from <see cref="VersionTwoStage"/> only in what it writes.</summary>
public sealed class VersionOneStage : Task
{
    [Required]
    [StageInput]
    public string Input { get; set; } = string.Empty;

    [Required]
    [StageOutput]
    public string Output { get; set; } = string.Empty;

    public override bool Execute()
    {
        File.WriteAllText(Output, "v1:" + File.ReadAllText(Input));
        return true;
    }
}
