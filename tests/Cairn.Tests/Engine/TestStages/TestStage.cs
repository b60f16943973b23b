using System.Globalization;
using Cairn.Stages;
using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace Cairn.Tests.Engine.TestStages;

/// <summary>
/// The configurable test stage: copies <see cref="Input"/> to <see cref="Output"/>, after behaving as
/// <see cref="Fault"/> says. A test's pipeline file picks the behaviour per stage (<see cref="PipelineYaml"/>).
/// </summary>
public sealed class TestStage : Task, ICancelableTask
{
    private volatile bool _cancelled;

    [Required]
    [StageInput]
    public string Input { get; set; } = string.Empty;

    [Required]
    [StageOutput]
    public string Output { get; set; } = string.Empty;

    /// <summary>
    /// none; error (logs CAIRN9901), false, throw, touch-input (changes its own input while running), no-output
    /// (succeeds without writing): for the day <see cref="FailOn"/> or any day whose input starts with FAIL, after
    /// writing its output. transient: an <see cref="IOException"/> on the first <see cref="Failures"/> attempts of a
    /// cell, counted in <c>attempts-{Partition}.txt</c> beside the raw day folders. slow: works for
    /// <see cref="Seconds"/> unless cancelled (CAIRN9903). diverge: "does not converge" (CAIRN9902) for a
    /// <see cref="Seed"/> below <see cref="GoodFrom"/>, else writes the seed. redeliver-input: for the failing day, on
    /// its first <see cref="Failures"/> attempts, its input is re-delivered the way <c>cp</c> writes a file (truncated,
    /// half written, the rest written after a moment) while the stage reads it: the stage copies the half it saw, and
    /// the input ends with the very bytes it had. block-read: for the failing day, reads the FIFO <c>pipe</c> beside the
    /// raw day folders, which blocks until someone writes to it, deaf to <see cref="Cancel"/>.
    /// </summary>
    [StageParameter]
    public string Fault { get; set; } = "none";

    [StageParameter]
    public string Partition { get; set; } = string.Empty;

    [StageParameter]
    public string FailOn { get; set; } = string.Empty;

    [StageParameter]
    public int Failures { get; set; }

    [StageParameter]
    public double Seconds { get; set; }

    [StageParameter]
    public int Seed { get; set; }

    [StageParameter]
    public int GoodFrom { get; set; }

    public void Cancel() => _cancelled = true;

    public override bool Execute() => Fault switch
    {
        "transient" => Transient(),
        "slow" => Slow(),
        "diverge" => Diverge(),
        "redeliver-input" => RedeliverInput(),
        "block-read" when Failing() => File.ReadAllText(Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(Input))!, "pipe")).Length >= 0,
        _ => CopyThenFail(),
    };

    private bool CopyThenFail()
    {
        if (Fault != "no-output" || !Failing())
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Output)!);
            File.WriteAllText(Output, File.ReadAllText(Input));
        }

        if (!Failing())
        {
            return true;
        }

        switch (Fault)
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

    private bool Failing() => Partition == FailOn || File.ReadAllText(Input).StartsWith("FAIL", StringComparison.Ordinal);

    private bool RedeliverInput()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Output)!);
        if (!Failing() || NextAttempt() > Failures)
        {
            File.Copy(Input, Output, overwrite: true);
            return true;
        }

        var bytes = File.ReadAllBytes(Input);
        using (var writer = new FileStream(Input, FileMode.Truncate, FileAccess.Write, FileShare.ReadWrite))
        {
            writer.Write(bytes, 0, bytes.Length / 2);
            writer.Flush();
            File.WriteAllBytes(Output, File.ReadAllBytes(Input));
            writer.Write(bytes, bytes.Length / 2, bytes.Length - (bytes.Length / 2));
        }

        return true;
    }

    /// <summary>Which attempt at the day this is, counted in <c>attempts-{Partition}.txt</c> beside the raw day folders.</summary>
    private int NextAttempt()
    {
        var counter = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(Input))!, $"attempts-{Partition}.txt");
        var attempt = (File.Exists(counter) ? int.Parse(File.ReadAllText(counter), CultureInfo.InvariantCulture) : 0) + 1;
        File.WriteAllText(counter, attempt.ToString(CultureInfo.InvariantCulture));
        return attempt;
    }

    private bool Transient()
    {
        var attempt = NextAttempt();
        Directory.CreateDirectory(Path.GetDirectoryName(Output)!);
        File.WriteAllText(Output, "partial");
        if (attempt <= Failures)
        {
            throw new IOException($"disk hiccup {attempt}");
        }

        File.WriteAllText(Output, File.ReadAllText(Input));
        return true;
    }

    private bool Slow()
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

    private bool Diverge()
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
