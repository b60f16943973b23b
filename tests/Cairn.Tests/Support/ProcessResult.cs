namespace Cairn.Tests.Support;

/// <summary>What a finished process printed and returned.</summary>
internal sealed record ProcessResult(int ExitCode, string Output)
{
    public ProcessResult ShouldExitWith(int code)
    {
        ExitCode.ShouldBe(code, $"output:\n{Output}");
        return this;
    }
}
