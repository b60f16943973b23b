using Cairn.Stages;
using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace Cairn.Tests.Engine.TestStages;

/// <summary>A whole-dataset test stage that "does not converge" (CAIRN9902) for seeds below <see cref="GoodFrom"/>.</summary>
public sealed class SeedStage : Task
{
    [Required]
    [StageInput]
    public string Input { get; set; } = string.Empty;

    [Required]
    [StageOutput]
    public string Output { get; set; } = string.Empty;

    [StageParameter]
    public int Seed { get; set; }

    [StageParameter]
    public int GoodFrom { get; set; }

    public override bool Execute()
    {
        if (Seed < GoodFrom)
        {
            Log.LogError(null, "CAIRN9902", null, null, 0, 0, 0, 0, "did not converge with seed {0}", Seed);
            return false;
        }

        File.WriteAllText(Output, $"seed {Seed}\n");
        return true;
    }
}
