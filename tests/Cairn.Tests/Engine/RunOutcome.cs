namespace Cairn.Tests.Engine;

/// <summary>What a harness run printed and how it ended.</summary>
internal sealed record RunOutcome(string Output, Exception? Failure, bool UsageError)
{
    public bool Succeeded => Failure is null && ExitCode == 0;

    /// <summary>What the process would exit with (usage errors: 2).</summary>
    public int ExitCode { get; init; } = 2;

    public string[] Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    public RunOutcome ShouldSucceed()
    {
        Failure.ShouldBeNull($"the run failed; output:\n{Output}");
        ExitCode.ShouldBe(0, $"the run did not exit 0; output:\n{Output}");
        return this;
    }
}
