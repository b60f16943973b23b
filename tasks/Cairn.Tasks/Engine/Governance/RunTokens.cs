using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Engine.Plan;
using Cairn.Hashing;

namespace Cairn.Engine.Governance;

/// <summary>
/// Run tokens (<c>--run-token=TOKEN</c>, a scheduler's or CI's id for one logical run), in
/// <c>.cairn/governance/run-tokens.jsonl</c>: one line per publication made under a token, with what the run was asked
/// to do (its identity: target, environment, partitions, <c>--set</c> values). A token publishes once: a run with the
/// same token and the same identity publishes nothing again; one with another identity is refused.
/// </summary>
internal sealed class RunTokens
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public RunTokens(string stateDirectory) => Path = System.IO.Path.Combine(stateDirectory, "governance", "run-tokens.jsonl");

    public string Path { get; }

    /// <summary>What a run was asked to do, as a token is bound to it: name → value, in a fixed order.</summary>
    public static SortedDictionary<string, string> IdentityOf(RunOptions options)
    {
        var identity = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["target"] = options.Target,
            ["environment"] = options.Environment,
            ["partitions"] = options.Partitions.Count == 0
                ? "none"
                : string.Create(CultureInfo.InvariantCulture, $"{options.Partitions.Count} ({options.Partitions[0]} to {options.Partitions[^1]}, {ContentHasher.HashString(string.Join("\n", options.Partitions)).ToString()[..8]})"),
        };
        foreach (var setting in options.ParameterOverrides)
        {
            identity["--set " + setting.Key] = setting.Canonical;
        }

        return identity;
    }

    /// <summary>The publications made under the token, oldest first.</summary>
    public IReadOnlyList<(string RunId, string Stage, string Version, SortedDictionary<string, string> Identity)> Of(string token)
    {
        var found = new List<(string, string, string, SortedDictionary<string, string>)>();
        if (!File.Exists(Path))
        {
            return found;
        }

        foreach (var line in File.ReadLines(Path, Utf8NoBom))
        {
            JsonObject? entry;
            try
            {
                entry = JsonNode.Parse(line) as JsonObject;
            }
            catch (JsonException)
            {
                continue;
            }

            if (entry is null || (string?)entry["token"] != token)
            {
                continue;
            }

            var identity = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, value) in entry["identity"]!.AsObject())
            {
                identity[name] = (string)value!;
            }

            found.Add(((string)entry["run_id"]!, (string)entry["stage"]!, (string)entry["version"]!, identity));
        }

        return found;
    }

    /// <summary>What differs between the identity a token was bound to and this run's, one phrase each; empty when none.</summary>
    public static List<string> Differences(SortedDictionary<string, string> then, SortedDictionary<string, string> now) =>
        then.Keys.Union(now.Keys).Order(StringComparer.Ordinal)
            .Where(key => then.GetValueOrDefault(key) != now.GetValueOrDefault(key))
            .Select(key => $"{key}: {then.GetValueOrDefault(key) ?? "not given"} then, {now.GetValueOrDefault(key) ?? "not given"} now")
            .ToList();

    public void Record(string token, string runId, string stage, string version, SortedDictionary<string, string> identity)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var entry = new JsonObject
        {
            ["token"] = token,
            ["run_id"] = runId,
            ["stage"] = stage,
            ["version"] = version,
            ["identity"] = new JsonObject(identity.Select(i => KeyValuePair.Create(i.Key, (JsonNode?)JsonValue.Create(i.Value)))),
        };
        File.AppendAllText(Path, entry.ToJsonString() + "\n", Utf8NoBom);
    }
}
