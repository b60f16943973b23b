using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Cairn.Engine.Governance;

/// <summary>
/// The raw files of partitions whose schema drift a person rejected, <c>.cairn/governance/quarantine.jsonl</c>: one
/// JSON object per rejection (review, partition, who, when, why, each raw file's logical path and content hash),
/// appended under the workspace lock. The files stay where they are: what is quarantined is the reference, so the
/// partition stays held for exactly those bytes, and new data for it is judged afresh.
/// </summary>
internal sealed class DriftQuarantine
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public DriftQuarantine(string stateDirectory) => Path = PathIn(stateDirectory);

    public string Path { get; }

    public static string PathIn(string stateDirectory) => System.IO.Path.Combine(stateDirectory, "governance", "quarantine.jsonl");

    public void Add(Review rejected, JsonArray files)
    {
        var entry = new JsonObject
        {
            ["review"] = rejected.Id,
            ["stage"] = rejected.Stage,
            ["partition"] = rejected.Partition,
            ["by"] = rejected.DecidedBy,
            ["at"] = rejected.DecidedAt?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["reason"] = rejected.Reason,
            ["changes"] = new JsonArray(rejected.Breaches.Select(b => (JsonNode)JsonValue.Create(b)!).ToArray()),
            ["files"] = files.DeepClone(),
        };
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        using var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
        stream.Write(Utf8NoBom.GetBytes(entry.ToJsonString() + "\n"));
        stream.Flush(flushToDisk: true);
    }
}
