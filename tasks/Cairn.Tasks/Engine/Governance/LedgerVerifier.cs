using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cairn.Engine.Governance;

/// <summary>Checks the ledger's chain line by line and names the first entry that was changed, removed or reordered.</summary>
internal static class LedgerVerifier
{
    /// <returns>How many entries were read, and the first problem, or null when the chain holds.</returns>
    public static (int Entries, string? Problem) Verify(string path)
    {
        if (!File.Exists(path))
        {
            return (0, null);
        }

        // Line by line: the ledger grows with every cell a run runs, and reading it whole held it several times over.
        var previous = string.Empty;
        long expected = 1;
        var i = -1;
        foreach (var line in Lines(path))
        {
            i++;
            var number = i + 1;
            if (line.Length == 0)
            {
                // The file's own last newline ends the last line and makes none: an empty line was one left empty.
                return (i, string.Create(CultureInfo.InvariantCulture, $"line {number} is empty: an entry was removed or the file edited there"));
            }

            var at = line.LastIndexOf(Ledger.HashField, StringComparison.Ordinal);
            if (at < 0 || !line.EndsWith("\"}", StringComparison.Ordinal))
            {
                return (i, string.Create(CultureInfo.InvariantCulture, $"line {number} is not a ledger entry (no hash at its end): it was changed, or torn and not yet repaired by a run"));
            }

            var body = line[..at] + "}";
            var stored = line[(at + Ledger.HashField.Length)..^2];
            if (!string.Equals(Ledger.HashOf(body), stored, StringComparison.Ordinal))
            {
                return (i, string.Create(CultureInfo.InvariantCulture, $"line {number} was changed: its content no longer matches its hash ({Describe(body)})"));
            }

            long seq;
            string prev;
            try
            {
                var entry = JsonNode.Parse(body)!.AsObject();
                seq = (long)entry["seq"]!;
                prev = (string?)entry["prev"] ?? string.Empty;
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or NullReferenceException)
            {
                return (i, string.Create(CultureInfo.InvariantCulture, $"line {number} hashes right but has no seq or prev: it was written by something other than Cairn"));
            }

            if (seq > expected && Lines(path).Skip(i + 1).Any(l => l.StartsWith(string.Create(CultureInfo.InvariantCulture, $"{{\"seq\":{expected},"), StringComparison.Ordinal)))
            {
                return (i, string.Create(CultureInfo.InvariantCulture, $"line {number} holds entry {seq} where entry {expected} belongs, which comes later: entries were reordered"));
            }

            if (seq > expected)
            {
                return (i, string.Create(CultureInfo.InvariantCulture, $"entry {expected} is missing: line {number} holds entry {seq}, so {(seq - expected == 1 ? $"entry {expected} was" : $"entries {expected} to {seq - 1} were")} removed or moved"));
            }

            if (seq < expected)
            {
                return (i, string.Create(CultureInfo.InvariantCulture, $"line {number} holds entry {seq} where entry {expected} belongs: entries were reordered or repeated"));
            }

            if (!string.Equals(prev, previous, StringComparison.Ordinal))
            {
                return (i, string.Create(CultureInfo.InvariantCulture, $"entry {seq} (line {number}) does not follow the entry before it: its prev is not that entry's hash"));
            }

            previous = stored;
            expected++;
        }

        return ((int)(expected - 1), null);
    }

    /// <summary>
    /// The file's lines as a run writes them, each ended by a newline alone: a carriage return stays part of its line,
    /// so a ledger whose line endings were changed fails, as it did when the file was split on newlines whole.
    /// </summary>
    private static IEnumerable<string> Lines(string path)
    {
        using var reader = new StreamReader(path);
        var line = new StringBuilder();
        var buffer = new char[64 * 1024];
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            var start = 0;
            for (var at = Array.IndexOf(buffer, '\n', 0, read); at >= 0; at = Array.IndexOf(buffer, '\n', start, read - start))
            {
                line.Append(buffer, start, at - start);
                yield return line.ToString();
                line.Clear();
                start = at + 1;
            }

            line.Append(buffer, start, read - start);
        }

        if (line.Length > 0)
        {
            yield return line.ToString();
        }
    }

    private static string Describe(string body)
    {
        try
        {
            var entry = JsonNode.Parse(body)!.AsObject();
            return string.Create(CultureInfo.InvariantCulture, $"entry {entry["seq"]}, {entry["kind"]}");
        }
        catch (JsonException)
        {
            return "not even JSON";
        }
    }
}
