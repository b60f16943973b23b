namespace Cairn.Engine.Cache;

/// <summary>
/// The shared cache a run uses: its base address (<c>http://host:port/prefix</c>, entries under <c>ac/</c> and blobs
/// under <c>cas/</c>), what the run does with it, and the bearer token sent with every request (from the environment,
/// never printed or recorded).
/// </summary>
internal sealed record CacheSettings(Uri Address, CacheMode Mode, string? Token)
{
    /// <summary>The environment variable naming the cache when neither <c>--cache</c> nor the pipeline file does.</summary>
    public const string AddressVariable = "CAIRN_CACHE";

    /// <summary>The environment variable holding the bearer token sent to the cache, if any.</summary>
    public const string TokenVariable = "CAIRN_CACHE_TOKEN";

    public static readonly IReadOnlyList<string> Modes = ["read", "write", "readwrite", "off"];

    public bool Reads => Mode is CacheMode.Read or CacheMode.ReadWrite;

    public bool Writes => Mode is CacheMode.Write or CacheMode.ReadWrite;

    /// <summary>The address as a person gave it, without a trailing slash: what messages name.</summary>
    public string Display => Address.GetLeftPart(UriPartial.Path).TrimEnd('/');

    /// <summary>
    /// Reads an address, or says why it cannot be used: only an absolute http(s) URL without user info, query or
    /// fragment (a token goes in <see cref="TokenVariable"/>, never in the URL, so it is never printed).
    /// </summary>
    /// <param name="text">The address as given.</param>
    /// <param name="source">Where it was given, as messages name it: <c>--cache</c>, <c>CAIRN_CACHE</c>, the pipeline file's <c>cache:</c>.</param>
    /// <param name="problem">Why it cannot be used, naming the source and the fix.</param>
    public static Uri? ParseAddress(string text, string source, out string? problem)
    {
        problem = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            problem = $"{source}={text}: the cache must be an http:// or https:// URL, e.g. http://cache.example:8080/cairn (any WebDAV/HTTP store that answers GET, PUT and HEAD).";
            return null;
        }

        if (uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            problem = $"{source}={text}: give the cache's address alone, without user, query or fragment; a bearer token goes in the environment variable {TokenVariable}.";
            return null;
        }

        return new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
    }

    public static CacheMode? ParseMode(string text) => text.ToLowerInvariant() switch
    {
        "read" => CacheMode.Read,
        "write" => CacheMode.Write,
        "readwrite" => CacheMode.ReadWrite,
        "off" => CacheMode.Off,
        _ => null,
    };
}
