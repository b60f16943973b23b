using Cairn.Stages;
using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace Cairn.Tests.Engine.TestStages;

/// <summary>A partitioned test stage that works (writes partial output) for <see cref="Seconds"/> unless cancelled.</summary>
public sealed class SlowStage : Task, ICancelableTask
{
    private volatile bool _cancelled;

    [Required]
    [StageInput]
    public string Input { get; set; } = string.Empty;

    [Required]
    [StageOutput]
    public string Output { get; set; } = string.Empty;

    [StageParameter]
    public double Seconds { get; set; }

    public void Cancel() => _cancelled = true;

    public override bool Execute()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Output)!);
        var until = DateTime.UtcNow.AddSeconds(Seconds);
        using (var writer = new StreamWriter(Output))
        {
            while (DateTime.UtcNow < until)
            {
                if (_cancelled)
                {
                    Log.LogError(null, "CAIRN9903", null, null, 0, 0, 0, 0, "cancelled");
                    return false;
                }

                writer.WriteLine("partial line");
                Thread.Sleep(10);
            }
        }

        File.WriteAllText(Output, File.ReadAllText(Input));
        return true;
    }
}
