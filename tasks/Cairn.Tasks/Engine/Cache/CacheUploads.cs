using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Cairn.Engine.Checkpoints;
using Cairn.Engine.Scan;
using Cairn.Engine.Workspace;
using Cairn.Hashing;

namespace Cairn.Engine.Cache;

/// <summary>
/// Uploads the results of the cells that ran, in the background, two at a time: each output's blob first (skipped
/// when a <c>HEAD</c> finds it there), the action entry last, so a reader never sees an entry whose blobs are missing.
/// An output whose bytes no longer match what its checkpoint recorded is not uploaded (it changed since). Nothing here
/// fails the run; the run waits for what is pending at its end, for a bounded time.
/// </summary>
internal sealed class CacheUploads : IDisposable
{
    private readonly RemoteCache _cache;
    private readonly WorkspaceLayout _layout;
    private readonly SemaphoreSlim _slots = new(2);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pending = [];
    private int _uploaded;
    private bool _finished;

    public CacheUploads(RemoteCache cache, WorkspaceLayout layout)
    {
        _cache = cache;
        _layout = layout;
    }

    /// <summary>Queues the cell's result; nothing when the run does not write to the cache or the cache is down.</summary>
    public void Enqueue(Checkpoint checkpoint)
    {
        if (!_cache.Settings.Writes || !_cache.Available)
        {
            return;
        }

        lock (_pending)
        {
            if (!_finished)
            {
                _pending.Add(UploadAsync(checkpoint));
            }
        }
    }

    /// <summary>
    /// Waits for the pending uploads, at most <paramref name="limit"/>; those still going then are given up (their cells
    /// are simply not in the cache).
    /// </summary>
    /// <returns>What to say: how many cells were uploaded, and how many were given up; null when there was nothing to upload.</returns>
    public string? Finish(TimeSpan limit)
    {
        Task[] pending;
        lock (_pending)
        {
            if (_finished)
            {
                return null;
            }

            _finished = true;
            pending = [.. _pending];
        }

        if (pending.Length == 0)
        {
            return null;
        }

        var all = Task.WhenAll(pending);
        var done = ((IAsyncResult)all).AsyncWaitHandle.WaitOne(limit);
        _stop.Cancel();
        var givenUp = pending.Count(t => !t.IsCompleted);
        var uploaded = Volatile.Read(ref _uploaded);
        return string.Create(CultureInfo.InvariantCulture, $"cache {_cache.Settings.Display}: {uploaded:N0} of {pending.Length:N0} {(pending.Length == 1 ? "cell" : "cells")} that ran uploaded{(done ? string.Empty : $"; {givenUp:N0} still uploading after {limit.TotalSeconds:0} s were given up")}");
    }

    public void Dispose()
    {
        Finish(TimeSpan.Zero);
        _stop.Dispose();
        _slots.Dispose();
    }

    /// <summary>
    /// Waits for a slot without holding a thread: thousands of queued uploads blocking pool threads starved the
    /// restores that run on the pool (a stage's lookups and downloads), leaving the run stuck between stages.
    /// </summary>
    private async Task UploadAsync(Checkpoint checkpoint)
    {
        try
        {
            await _slots.WaitAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        // Off the caller's thread: the upload's reads and requests are synchronous.
        await Task.Run(() => Upload(checkpoint)).ConfigureAwait(false);
    }

    private void Upload(Checkpoint checkpoint)
    {
        try
        {
            var files = new List<CacheEntryFile>();
            foreach (var output in checkpoint.Outputs.Where(o => o.Hash != UpToDateCheck.DirectoryMarker))
            {
                var bytes = File.ReadAllBytes(_layout.FullPathOf(output.Path));
                if (!string.Equals(ContentHasher.HashBytes(bytes).ToString(), output.Hash, StringComparison.Ordinal))
                {
                    return;
                }

                var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
                if (!_cache.HasBlob(sha, _stop.Token) && !_cache.Put("cas/" + sha, bytes, _stop.Token))
                {
                    return;
                }

                files.Add(new CacheEntryFile(output.Property, output.Path, sha, bytes.LongLength));
            }

            var entry = new CacheEntry
            {
                Fingerprint = checkpoint.Fingerprint,
                Stage = checkpoint.Stage,
                Partition = checkpoint.Partition,
                Outputs = files,
                Metrics = checkpoint.Metrics,
                RunId = checkpoint.RunId,
                ToolVersion = checkpoint.ToolVersion,
            };
            if (_cache.Put("ac/" + checkpoint.Fingerprint, JsonSerializer.SerializeToUtf8Bytes(entry, CacheJsonContext.Default.CacheEntry), _stop.Token))
            {
                Interlocked.Increment(ref _uploaded);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            // An output removed or unreadable since its cell ran, or the run's end giving up: the cell is not uploaded.
        }
        finally
        {
            _slots.Release();
        }
    }
}
