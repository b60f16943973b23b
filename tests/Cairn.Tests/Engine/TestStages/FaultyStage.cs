using Cairn.Stages;
using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace Cairn.Tests.Engine.TestStages;

/// <summary>
/// A partitioned test stage that writes its output and then fails in the way its parameter says, for the day named by
/// <see cref="FailOn"/> or any day whose input starts with FAIL.
/// </summary>
public sealed class FaultyStage : Task
{
    [Required]
    [StageInput]
    public string Input { get; set; } = string.Empty;

    [Required]
    [StageOutput]
    public string Output { get; set; } = string.Empty;

    /// <summary>none, error, false, throw, or touch-input (changes its own input while running).</summary>
    [StageParameter]
    public string Mode { get; set; } = "none";

    [StageParameter]
    public string FailOn { get; set; } = string.Empty;

    [StageParameter]
    public string Partition { get; set; } = string.Empty;

    public override bool Execute()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Output)!);
        File.WriteAllText(Output, File.ReadAllText(Input));
        if (Partition != FailOn && !File.ReadAllText(Input).StartsWith("FAIL", StringComparison.Ordinal))
        {
            return true;
        }

        switch (Mode)
        {
            case "error":
                Log.LogError(null, "CAIRN9901", null, Input, 0, 0, 0, 0, "the test stage was told to fail");
                return false;
            case "false":
                return false;
            case "throw":
                throw new InvalidDataException("the test stage threw");
            case "touch-input":
                File.AppendAllText(Input, "changed while running\n");
                return true;
            default:
                return true;
        }
    }
}
