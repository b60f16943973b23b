using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Hashing;

namespace Cairn.Engine.Governance;

/// <summary>
/// What produced a published package version, for people to read: from the version's own <c>manifest.json</c> (the
/// files it holds and the inputs it was derived from with their hashes, the parameters, the <c>--set</c> values, the
/// approvals) and from the evidence ledger (the run that built and published it, what that run was asked to do, the
/// gates passed by review in it). Reads only; the ledger's chain is checked and a broken one is said, not hidden.
/// </summary>
internal static class PackageLineage
{
    private const int LineageShown = 3;

    /// <summary>The lines that describe the version, the first naming it.</summary>
    /// <param name="versionFolder">The published version's folder (<c>artifacts/model-…</c>).</param>
    /// <param name="shownFolder">That folder as the output names it.</param>
    /// <param name="ledgerPath">The workspace's ledger.</param>
    /// <param name="shownLedger">The ledger as the output names it.</param>
    /// <param name="latest">True when <c>LATEST</c> names the version.</param>
    public static List<string> Describe(string versionFolder, string shownFolder, string ledgerPath, string shownLedger, bool latest)
    {
        var version = Path.GetFileName(versionFolder);
        var lines = new List<string> { $"Lineage of {shownFolder}{(latest ? " (LATEST)" : string.Empty)}" };
        var entries = ReadLedger(ledgerPath);
        var publications = entries.Where(e => Kind(e) == "published" && (string?)e["version"] == version).ToList();
        if (publications.Count == 0)
        {
            lines.Add($"  run: none recorded; {shownLedger} has no publication of {version} (a ledger removed, or a version copied in by hand)");
        }

        foreach (var (publication, i) in publications.Select((p, i) => (p, i)))
        {
            var runId = (string?)publication["run_id"];
            var started = entries.FirstOrDefault(e => Kind(e) == "run_started" && (string?)e["run_id"] == runId);
            var how = i == 0 ? "built and published by run" : "published again by run";
            lines.Add($"  {how} {runId} at {(string?)publication["at"]}{(publication["run_token"] is { } token ? $" under --run-token={token}" : string.Empty)}{(started is null ? string.Empty : ": " + Asked(started))}");
            foreach (var gate in entries.Where(e => Kind(e) == "gate_passed" && (string?)e["run_id"] == runId))
            {
                var partition = (string?)gate["partition"] is { } day ? $" {day}" : string.Empty;
                lines.Add($"    {(string?)gate["stage"]}{partition} passed its gate in that run by review {(string?)gate["review"]}, approved by {(string?)gate["approved_by"]}");
            }
        }

        var manifestPath = Path.Combine(versionFolder, "manifest.json");
        JsonObject? manifest = null;
        try
        {
            manifest = JsonNode.Parse(File.ReadAllText(manifestPath)) as JsonObject;
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            lines.Add($"  manifest.json: cannot be read ({e.Message}); the version's files and inputs are unknown");
        }

        if (manifest is not null)
        {
            Manifest(manifest, lines);
        }

        var (count, problem) = LedgerVerifier.Verify(ledgerPath);
        lines.Add(problem is null
            ? string.Create(CultureInfo.InvariantCulture, $"  ledger: {shownLedger}, {count:N0} entries, chain intact")
            : $"  ledger: {shownLedger} is broken ({problem}); what it says above may have been changed");
        return lines;
    }

    private static void Manifest(JsonObject manifest, List<string> lines)
    {
        var algorithm = (string?)manifest["hash_algorithm"] ?? ContentHasher.Algorithm;
        var files = manifest["files"]?.AsArray() ?? [];
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"  files ({files.Count:N0}, {algorithm}):"));
        var width = files.Select(f => ((string?)f?["name"] ?? string.Empty).Length).DefaultIfEmpty(0).Max();
        foreach (var file in files)
        {
            lines.Add($"    {((string?)file?["name"] ?? string.Empty).PadRight(width)}  {(string?)file?["hash"]}");
        }

        var lineage = manifest["lineage"]?.AsArray() ?? [];
        if (lineage.Count > 0)
        {
            // Thousands of per-day files: a few named, and one hash over the whole sorted list, which names them all.
            var listed = lineage.Select(l => $"{(string?)l?["path"]} {(string?)l?["hash"]}").ToList();
            var overall = ContentHasher.HashString(string.Join("\n", listed)).ToString();
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"  derived from {lineage.Count:N0} input files ({algorithm} over their sorted \"path hash\" lines: {overall}; each in manifest.json):"));
            foreach (var line in listed.Take(LineageShown))
            {
                lines.Add($"    {line}");
            }

            if (lineage.Count > LineageShown)
            {
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"    … {lineage.Count - LineageShown:N0} more, to {listed[^1]}"));
            }
        }

        if (manifest["parameters"] is JsonObject parameters && parameters.Count > 0)
        {
            lines.Add($"  parameters: {string.Join(", ", parameters.Select(p => $"{p.Key}={Scalar(p.Value)}"))}");
        }

        if (manifest["overrides"] is JsonObject overrides && overrides.Count > 0)
        {
            lines.Add($"  --set: {string.Join(", ", overrides.Select(p => $"{p.Key}={Scalar(p.Value)}"))}");
        }

        var approvals = manifest["approvals"]?.AsArray() ?? [];
        lines.Add(approvals.Count == 0 ? "  approvals: none (every gate passed on its own)" : "  approvals:");
        foreach (var approval in approvals)
        {
            var partition = (string?)approval?["partition"] is { } day ? $" {day}" : string.Empty;
            lines.Add($"    review {(string?)approval?["review"]} of {(string?)approval?["stage"]}{partition}: approved by {(string?)approval?["approved_by"]} at {(string?)approval?["approved_at"]}: {(string?)approval?["reason"]}");
            foreach (var breach in approval?["breaches"]?.AsArray() ?? [])
            {
                lines.Add($"      stopped on: {(string?)breach}");
            }
        }
    }

    /// <summary>What the run was asked to do: target, environment, partitions, <c>--set</c> values.</summary>
    private static string Asked(JsonObject started)
    {
        var partitions = started["partitions"]?.GetValue<long>() ?? 0;
        var range = partitions == 0 ? string.Empty : $" ({(string?)started["first_partition"]}..{(string?)started["last_partition"]})";
        var overrides = started["overrides"] is JsonObject set && set.Count > 0
            ? ", " + string.Join(", ", set.Select(o => $"--set={o.Key}={Scalar(o.Value)}"))
            : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"--target={(string?)started["target"]}, --env={(string?)started["environment"]}, {partitions} partitions{range}{overrides}, Cairn {(string?)started["tool_version"]}");
    }

    private static string Scalar(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node?.ToJsonString() ?? "null";

    private static string? Kind(JsonObject entry) => (string?)entry["kind"];

    /// <summary>Every ledger line that is a JSON object; a torn or edited line is left out here and named by Verify.</summary>
    private static List<JsonObject> ReadLedger(string path)
    {
        var entries = new List<JsonObject>();
        if (!File.Exists(path))
        {
            return entries;
        }

        foreach (var line in File.ReadLines(path))
        {
            try
            {
                if (JsonNode.Parse(line) is JsonObject entry)
                {
                    entries.Add(entry);
                }
            }
            catch (JsonException)
            {
                // Verify names it.
            }
        }

        return entries;
    }
}
