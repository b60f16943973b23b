using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Cairn.Stages.Tables;

namespace Cairn.Engine.Cache;

/// <summary>
/// The shared cache over plain HTTP, as Bazel's HTTP remote cache lays it out: <c>ac/KEY</c> holds an action-cache
/// entry (<see cref="CacheEntry"/>), <c>cas/SHA256</c> a blob; read with <c>GET</c>, checked with <c>HEAD</c>, written
/// with <c>PUT</c>. Any WebDAV/HTTP store serves it (nginx with <c>dav_methods PUT</c>). A cache that cannot be reached,
/// is too slow or answers with a server error is said once, and from then on the run goes on without it: nothing the
/// cache does fails a run.
/// </summary>
internal sealed class RemoteCache : IDisposable
{
    // An entry or a HEAD is small: a cache slower than this is treated as unreachable. A blob may be large.
    private static readonly TimeSpan SmallRequestTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan BlobTimeout = TimeSpan.FromSeconds(120);

    private readonly HttpClient _http;
    private readonly Action<string> _warn;
    private int _down;

    public RemoteCache(CacheSettings settings, Action<string> warn)
    {
        Settings = settings;
        _warn = warn;
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5), PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = settings.Address,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (settings.Token is { Length: > 0 } token)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public CacheSettings Settings { get; }

    /// <summary>False once the cache failed in this run (said once): nothing more is asked of it.</summary>
    public bool Available => Volatile.Read(ref _down) == 0;

    /// <summary>
    /// The entry recorded for the key; null when there is none, the cache is down, or what it answered is not an entry
    /// for this key (said, naming the key: the cell then runs).
    /// </summary>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public async Task<CacheEntry?> LookupAsync(string key, CancellationToken cancellation)
    {
        var body = await GetAsync("ac/" + key, cancellation).ConfigureAwait(false);
        if (body is null)
        {
            return null;
        }

        CacheEntry? entry;
        try
        {
            entry = JsonSerializer.Deserialize(body, CacheJsonContext.Default.CacheEntry);
        }
        catch (JsonException e)
        {
            _warn($"cache {Settings.Display}: ac/{key} is not a cache entry ({e.Message}); the cell runs locally. Remove ac/{key} from the cache if it stays.");
            return null;
        }

        if (entry is null || entry.Format != CacheEntry.CurrentFormat || !string.Equals(entry.Fingerprint, key, StringComparison.Ordinal))
        {
            _warn($"cache {Settings.Display}: ac/{key} is not an entry for that key (format {entry?.Format}, fingerprint {entry?.Fingerprint}); the cell runs locally. Remove ac/{key} from the cache if it stays.");
            return null;
        }

        return entry;
    }

    /// <summary>
    /// Streams a blob into <paramref name="target"/>, hashing it as it comes: the file is kept only when its SHA-256 is
    /// the one asked for.
    /// </summary>
    /// <returns>Null when the blob is in place and verified; otherwise why not (a missing or rejected blob, or a cache that is down, when <see cref="Available"/> turns false and nothing more needs saying).</returns>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    /// <exception cref="IOException">The target could not be written (the engine's own failure).</exception>
    public async Task<string?> DownloadAsync(CacheEntryFile file, string target, CancellationToken cancellation)
    {
        var path = "cas/" + file.Sha256;
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(BlobTimeout);
        using var response = await SendAsync(HttpMethod.Get, path, null, HttpCompletionOption.ResponseHeadersRead, BlobTimeout, limit.Token, cancellation).ConfigureAwait(false);
        if (response is null)
        {
            return "the cache is down";
        }

        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return $"names blob {path} for {file.Path}, which the cache does not have";
        }

        if (!response.IsSuccessStatusCode)
        {
            Down($"it answered GET {path} with {(int)response.StatusCode} {response.ReasonPhrase}");
            return "the cache is down";
        }

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            var body = await response.Content.ReadAsStreamAsync(limit.Token).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                var output = OutputFile.Create(target, bufferSize: 1, share: FileShare.None);
                await using (output.ConfigureAwait(false))
                {
                    var buffer = new byte[81920];
                    int read;
                    while ((read = await body.ReadAsync(buffer, limit.Token).ConfigureAwait(false)) > 0)
                    {
                        sha.AppendData(buffer, 0, read);
                        await output.WriteAsync(buffer.AsMemory(0, read), limit.Token).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or HttpIOException || (e is OperationCanceledException && !cancellation.IsCancellationRequested))
        {
            File.Delete(target);
            Down(e is OperationCanceledException ? $"GET {path} took longer than {BlobTimeout.TotalSeconds:0} s" : $"reading GET {path} failed: {e.Message}");
            return "the cache is down";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Writing here failed, not the cache: the cell runs, and fails with the same cause if it persists.
            File.Delete(target);
            return $"names blob {path} for {file.Path}, which could not be written to {target}: {e.Message}";
        }

        var actual = Convert.ToHexStringLower(sha.GetHashAndReset());
        if (!string.Equals(actual, file.Sha256, StringComparison.Ordinal))
        {
            File.Delete(target);
            return $"names blob {path} for {file.Path}, and the bytes the cache gave have SHA-256 {actual}, not that: the blob was rejected";
        }

        return null;
    }

    /// <summary>Whether the cache holds the blob already (a <c>HEAD</c>); false when it does not or is down.</summary>
    public bool HasBlob(string sha256, CancellationToken cancellation)
    {
        using var response = Send(HttpMethod.Head, "cas/" + sha256, null, SmallRequestTimeout, cancellation);
        return response is { IsSuccessStatusCode: true };
    }

    /// <summary>Writes a blob or an entry; false when the cache is down or refused it (said once).</summary>
    public bool Put(string path, byte[] body, CancellationToken cancellation)
    {
        using var response = Send(HttpMethod.Put, path, body, path.StartsWith("cas/", StringComparison.Ordinal) ? BlobTimeout : SmallRequestTimeout, cancellation);
        if (response is null)
        {
            return false;
        }

        if (!response.IsSuccessStatusCode)
        {
            Down($"it answered PUT {path} with {(int)response.StatusCode} {response.ReasonPhrase}; give a store that takes PUT (nginx: dav_methods PUT; create_full_put_path on;), or --cache-mode=read");
            return false;
        }

        return true;
    }

    public void Dispose() => _http.Dispose();

    /// <summary>A small body (an entry); null when the cache does not have it or is down.</summary>
    private async Task<byte[]?> GetAsync(string path, CancellationToken cancellation)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(SmallRequestTimeout);
        using var response = await SendAsync(HttpMethod.Get, path, null, HttpCompletionOption.ResponseContentRead, SmallRequestTimeout, limit.Token, cancellation).ConfigureAwait(false);
        if (response is null || response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            Down($"it answered GET {path} with {(int)response.StatusCode} {response.ReasonPhrase}");
            return null;
        }

        // The body is already read (ResponseContentRead): this does not wait on the cache.
        return await response.Content.ReadAsByteArrayAsync(cancellation).ConfigureAwait(false);
    }

    private HttpResponseMessage? Send(HttpMethod method, string path, byte[]? body, TimeSpan timeout, CancellationToken cancellation)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(timeout);
        return SendAsync(method, path, body, HttpCompletionOption.ResponseContentRead, timeout, limit.Token, cancellation).GetAwaiter().GetResult();
    }

    /// <summary>
    /// The response, or null when the cache is down (said once); a server error counts as down. <c>limited</c> is the
    /// run's cancellation with the request's time limit, <c>cancellation</c> the run's own: a cancelled run is not a slow cache.
    /// </summary>
    private async Task<HttpResponseMessage?> SendAsync(HttpMethod method, string path, byte[]? body, HttpCompletionOption completion, TimeSpan timeout, CancellationToken limited, CancellationToken cancellation)
    {
        if (!Available)
        {
            return null;
        }

        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, completion, limited).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            Down($"{method} {path} took longer than {timeout.TotalSeconds:0} s");
            return null;
        }
        catch (HttpRequestException e)
        {
            Down(e.InnerException is { } inner ? $"{e.Message} {inner.Message}".Trim() : e.Message);
            return null;
        }

        if ((int)response.StatusCode >= 500 || response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            var fix = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? $"; check the token in {CacheSettings.TokenVariable}" : string.Empty;
            Down($"it answered {method} {path} with {(int)response.StatusCode} {response.ReasonPhrase}{fix}");
            response.Dispose();
            return null;
        }

        return response;
    }

    private void Down(string why)
    {
        if (Interlocked.Exchange(ref _down, 1) == 0)
        {
            _warn($"cache {Settings.Display} cannot be used ({why}): cells run locally and this run asks nothing more of the cache.");
        }
    }
}
