using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

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
    public CacheEntry? Lookup(string key, CancellationToken cancellation)
    {
        var body = Get("ac/" + key, SmallRequestTimeout, cancellation);
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

    /// <summary>A blob's bytes; null when the cache does not have it or is down.</summary>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public byte[]? Blob(string sha256, CancellationToken cancellation) => Get("cas/" + sha256, BlobTimeout, cancellation);

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

    private byte[]? Get(string path, TimeSpan timeout, CancellationToken cancellation)
    {
        using var response = Send(HttpMethod.Get, path, null, timeout, cancellation);
        if (response is null || response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            Down($"it answered GET {path} with {(int)response.StatusCode} {response.ReasonPhrase}");
            return null;
        }

        try
        {
            using var stream = response.Content.ReadAsStream(cancellation);
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return buffer.ToArray();
        }
        catch (IOException e)
        {
            Down($"reading GET {path} failed: {e.Message}");
            return null;
        }
    }

    /// <summary>The response, or null when the cache is down (said once); a server error counts as down.</summary>
    private HttpResponseMessage? Send(HttpMethod method, string path, byte[]? body, TimeSpan timeout, CancellationToken cancellation)
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

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(timeout);
        HttpResponseMessage response;
        try
        {
            response = _http.Send(request, HttpCompletionOption.ResponseContentRead, limit.Token);
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
