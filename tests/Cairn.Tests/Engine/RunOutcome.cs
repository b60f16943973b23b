namespace Cairn.Tests.Engine;

/// <summary>What a harness run printed and how it ended.</summary>
internal sealed record RunOutcome(string Output, Exception? Failure, bool UsageError)
{
    public bool Succeeded => Failure is null;

    public string[] Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    public RunOutcome ShouldSucceed()
    {
        Failure.ShouldBeNull($"the run failed; output:\n{Output}");
        return this;
    }
}
