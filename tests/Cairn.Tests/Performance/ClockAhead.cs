namespace Cairn.Tests.Performance;

/// <summary>
/// The system clock moved on: files written now look as old to the engine as they would after that wait, so a test
/// about the stat cache's racy window (files must be 2 s older than their reading) does not sleep. File timestamps
/// come from the kernel, which no test can move back: ctime always says now.
/// </summary>
internal sealed class ClockAhead(TimeSpan ahead) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + ahead;
}
