using Cairn.Stages;
using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace Cairn.Bench;

/// <summary>The bench pipeline's stage: writes the names of its inputs, one a line. Cheap on purpose: the engine is what is timed.</summary>
public sealed class ListInputs : Task
{
    [Required]
    [StageInput]
    public ITaskItem[] Sources { get; set; } = [];

    [Required]
    [StageOutput]
    public string Output { get; set; } = string.Empty;

    public override bool Execute()
    {
        File.WriteAllLines(Output, Sources.Select(s => Path.GetFileName(s.ItemSpec)));
        return true;
    }
}
