using System.Diagnostics;

namespace Cairn.Engine.Workspace;

/// <summary>
/// A <see cref="ShortLock"/> that one holder takes again and again (the ledger's, once per cell a run runs): its file
/// is opened once, and each take is an <c>flock</c> of that descriptor and each release an unlock, rather than an open,
/// an <c>flock</c>, an unlock and a close every time. Between takes the file stays open and unlocked, which no other
/// holder can tell from closed: another process takes the same lock with <see cref="ShortLock.Take"/>, an exclusive
/// <c>flock</c> of its own open of the file, and the two exclude each other exactly as two short locks do. The OS drops
/// a held lock when its process dies. Where the calls cannot be made (<see cref="SystemCalls.Available"/>), each take
/// is a <see cref="ShortLock"/> of its own.
/// </summary>
internal sealed class ReusableShortLock : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);

    private readonly string _path;
    private readonly Lock _opening = new();
    private int _descriptor = -1;

    public ReusableShortLock(string path) => _path = path;

    /// <summary>Takes the lock, waiting for another holder to let go.</summary>
    /// <returns>The lock held: disposing it lets go.</returns>
    /// <exception cref="IOException">The lock could not be taken within two minutes, or its file could not be opened; the message names the file.</exception>
    /// <exception cref="OperationCanceledException">The wait was cancelled.</exception>
    public Held Take(CancellationToken cancellation)
    {
        var descriptor = Descriptor();
        if (descriptor < 0)
        {
            return new Held(ShortLock.Take(_path, cancellation));
        }

        var clock = Stopwatch.StartNew();
        while (true)
        {
            var result = SystemCalls.TryLockExclusive(descriptor);
            if (result == 0)
            {
                return new Held(this, descriptor);
            }

            if (result == -SystemCalls.Interrupted)
            {
                continue;
            }

            if (result != -SystemCalls.WouldBlock)
            {
                // Not a holder in the way but a file system without flock, say: a ShortLock does what .NET does there.
                return new Held(ShortLock.Take(_path, cancellation));
            }

            if (clock.Elapsed >= ShortLock.GiveUp)
            {
                throw ShortLock.Stuck(_path, "another process holds it");
            }

            cancellation.WaitHandle.WaitOne(Poll);
            cancellation.ThrowIfCancellationRequested();
        }
    }

    public void Dispose()
    {
        lock (_opening)
        {
            if (_descriptor >= 0)
            {
                _ = SystemCalls.CloseDescriptor(_descriptor);
                _descriptor = -1;
            }
        }
    }

    /// <summary>The lock file's descriptor, opened (its folder made) on first use; -1 where it cannot be (ShortLock then).</summary>
    private int Descriptor()
    {
        lock (_opening)
        {
            if (_descriptor >= 0 || !SystemCalls.Available)
            {
                return _descriptor;
            }

            var descriptor = SystemCalls.OpenOrCreate(_path);
            if (descriptor == -SystemCalls.NoSuchFile)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
                descriptor = SystemCalls.OpenOrCreate(_path);
            }

            _descriptor = descriptor < 0 ? -1 : descriptor;
            return _descriptor;
        }
    }

    private void Release(int descriptor)
    {
        if (SystemCalls.Unlock(descriptor) != 0)
        {
            // Closing the descriptor lets go of its lock whatever went wrong; the next take opens the file again.
            Dispose();
        }
    }

    /// <summary>The lock, held until disposed.</summary>
    public readonly struct Held : IDisposable
    {
        private readonly ReusableShortLock? _owner;
        private readonly int _descriptor;
        private readonly ShortLock? _fallback;

        internal Held(ReusableShortLock owner, int descriptor)
        {
            _owner = owner;
            _descriptor = descriptor;
            _fallback = null;
        }

        internal Held(ShortLock fallback)
        {
            _owner = null;
            _descriptor = -1;
            _fallback = fallback;
        }

        public void Dispose()
        {
            _owner?.Release(_descriptor);
            _fallback?.Dispose();
        }
    }
}
