using Cairn.Engine.Workspace;
using Cairn.Tests.Support;

namespace Cairn.Tests.Engine;

/// <summary>
/// A short lock whose file one holder keeps open and locks again for each step (the ledger's): held only between a
/// take and its release, and excluding every other holder's <see cref="ShortLock"/> of the same file meanwhile.
/// </summary>
public sealed class ReusableShortLockTests
{
    [Fact]
    public void It_is_held_from_a_take_to_its_release_only_though_its_file_stays_open()
    {
        using var env = new TestEnvironment();
        var path = env.PathOf("ws/.cairn/governance/ledger.lock");
        using var reused = new ReusableShortLock(path);

        using (reused.Take(CancellationToken.None))
        {
            ShortLock.Held(path).ShouldBeTrue();
        }

        ShortLock.Held(path).ShouldBeFalse();
        using (reused.Take(CancellationToken.None))
        {
            ShortLock.Held(path).ShouldBeTrue("taken again through the same open file");
        }

        ShortLock.Held(path).ShouldBeFalse();
    }

    [Fact]
    public void It_is_not_taken_while_another_holder_has_the_short_lock_of_its_file()
    {
        using var env = new TestEnvironment();
        var path = env.PathOf("ws/.cairn/governance/ledger.lock");
        using var reused = new ReusableShortLock(path);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        using (ShortLock.Take(path, CancellationToken.None))
        {
            Should.Throw<OperationCanceledException>(() => reused.Take(cancelled.Token).Dispose());
        }

        using (reused.Take(cancelled.Token))
        {
            ShortLock.Held(path).ShouldBeTrue("free again, it is taken without waiting");
        }
    }
}
