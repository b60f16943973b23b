using Cairn.Engine.Plan;

namespace Cairn.Service.Hosting;

/// <summary>
/// The service's command line, <c>--name=value</c> as a run's: its own arguments (<c>--pipeline</c>, repeatable;
/// <c>--workspace</c>, <c>--raw</c>, <c>--urls</c>, <c>--repository</c>) and a run's arguments that every run it
/// starts takes (<c>--env</c>, <c>--parallelism</c>, <c>--timeout</c>, <c>--keep-going</c>), checked by the engine.
/// </summary>
internal sealed record ServiceArguments(
    string RepositoryRoot,
    string BaseDirectory,
    IReadOnlyList<string> Pipelines,
    string? Workspace,
    string? Raw,
    IReadOnlyList<string> Urls,
    IReadOnlyDictionary<string, string> RunArguments)
{
    /// <summary>The address the service listens on unless <c>--urls</c> says otherwise: loopback only.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>The environment variable holding the bearer token clients send when the service listens off loopback.</summary>
    public const string TokenVariable = "CAIRN_SERVICE_TOKEN";

    private static readonly string[] Own = ["pipeline", "workspace", "raw", "urls", "repository"];

    /// <summary>A run's arguments the service passes to every run; the others are per request or per schedule.</summary>
    private static readonly string[] ForEveryRun = ["env", "parallelism", "timeout", "keep-going"];

    /// <summary>Cake's own switches, which the Serve target may pass through; ignored.</summary>
    private static readonly string[] CakeSwitches = ["target", "verbosity", "v", "exclusive", "settings_skipverification", "settings_noreport", "invalidate-script-cache"];

    /// <exception cref="CairnUsageException">An argument is unknown, repeated or malformed; every problem at once.</exception>
    public static ServiceArguments Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var problems = new List<string>();
        var pipelines = new List<string>();
        var urls = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var run = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var argument in args)
        {
            if (!argument.StartsWith("--", StringComparison.Ordinal))
            {
                problems.Add($"'{argument}' is not an argument; write --name=value (e.g. --workspace=work).");
                continue;
            }

            var parts = argument[2..].Split('=', 2);
            var name = parts[0].ToLowerInvariant();
            var value = parts.Length > 1 ? parts[1] : string.Empty;
            if (name == "pipeline")
            {
                pipelines.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }
            else if (name == "urls")
            {
                urls.AddRange(value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }
            else if (Own.Contains(name))
            {
                if (!values.TryAdd(name, value))
                {
                    problems.Add($"--{name} is given twice; give it once.");
                }
            }
            else if (ForEveryRun.Contains(name))
            {
                run[name] = value;
            }
            else if (!CakeSwitches.Contains(name))
            {
                var known = Own.Concat(ForEveryRun).ToList();
                var near = known.MinBy(k => Engine.Plan.RunArguments.Distance(k, name));
                var hint = near is not null && Engine.Plan.RunArguments.Distance(near, name) <= 2 ? $"; did you mean --{near}?" : ".";
                problems.Add($"--{name} is not an argument the service knows{hint} It knows {string.Join(", ", known.Select(k => "--" + k))}.");
            }
        }

        if (pipelines.Count == 0 && args.Any(a => a.StartsWith("--pipeline", StringComparison.OrdinalIgnoreCase)))
        {
            problems.Add("--pipeline is empty; give a pipeline file (pipelines/NAME/pipeline.yaml) or a name under pipelines/.");
        }

        if (urls.Count == 0 && args.Any(a => a.StartsWith("--urls", StringComparison.OrdinalIgnoreCase)))
        {
            problems.Add($"--urls is empty; give the address to listen on, e.g. --urls={DefaultUrl}.");
        }

        foreach (var url in urls.Where(u => !Uri.TryCreate(u, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            problems.Add($"--urls: '{url}' is not an http:// or https:// address; write e.g. {DefaultUrl}.");
        }

        if (problems.Count > 0)
        {
            throw new CairnUsageException(problems);
        }

        // Relative paths start where the user is (build.sh exports it), as a run's do.
        var caller = environment(CairnSession.CallerDirectoryVariable) is { Length: > 0 } c && Path.IsPathFullyQualified(c) ? c : Environment.CurrentDirectory;
        var repository = Path.GetFullPath(values.GetValueOrDefault("repository") is { Length: > 0 } r ? r : Environment.CurrentDirectory, caller);
        return new ServiceArguments(
            repository,
            caller,
            pipelines,
            values.GetValueOrDefault("workspace") is { Length: > 0 } w ? Path.GetFullPath(w, caller) : null,
            values.GetValueOrDefault("raw") is { Length: > 0 } raw ? Path.GetFullPath(raw, caller) : null,
            urls.Count == 0 ? [DefaultUrl] : urls,
            run);
    }

    /// <summary>True when every address is on this machine only (127.0.0.0/8, ::1, localhost).</summary>
    public bool ListensOnLoopbackOnly => Urls.All(IsLoopback);

    public static bool IsLoopback(string url)
    {
        if (!Uri.TryCreate(url.Replace("://*", "://any", StringComparison.Ordinal).Replace("://+", "://any", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return false;
        }

        return uri.IsLoopback || (System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));
    }
}
