using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Hashing;

namespace Cairn.Engine.Governance;

/// <summary>
/// The workspace's reviews, <c>.cairn/governance/reviews.jsonl</c>: one JSON object per line, appended, never
/// rewritten (a request, then at most one decision). Runs on disjoint cells append at the same time (a review is of
/// one cell, which one run holds), so each append is made under <c>reviews.lock</c> beside it; an Approve or Reject
/// holds the workspace to itself. A last line torn by a crash is not a whole object and is read as absent.
/// </summary>
internal sealed class ReviewStore
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly Lock _writing = new();

    public ReviewStore(string stateDirectory) => Path = System.IO.Path.Combine(stateDirectory, "governance", "reviews.jsonl");

    public string Path { get; }

    /// <summary>The review's id: the same stage, partition and fingerprint always give the same id.</summary>
    public static string IdOf(string stage, string? partition, string fingerprint) =>
        "r-" + ContentHasher.HashString($"{stage}\n{partition}\n{fingerprint}").ToString()[..8];

    /// <summary>Every review, in the order requested, with its decision if any.</summary>
    public IReadOnlyList<Review> All()
    {
        var reviews = new List<Review>();
        if (!File.Exists(Path))
        {
            return reviews;
        }

        foreach (var line in File.ReadLines(Path, Utf8NoBom))
        {
            if (Parse(line) is not { } entry)
            {
                continue;
            }

            var id = (string?)entry["id"];
            switch ((string?)entry["event"])
            {
                case "requested":
                    reviews.Add(new Review(
                        id!,
                        (string)entry["stage"]!,
                        (string?)entry["partition"],
                        (string)entry["fingerprint"]!,
                        (string)entry["run_id"]!,
                        DateTimeOffset.Parse((string)entry["at"]!, System.Globalization.CultureInfo.InvariantCulture),
                        entry["breaches"]!.AsArray().Select(b => (string)b!).ToList())
                    {
                        Drift = entry["drift"] is JsonObject drift
                            ? new DriftAmendment((string)drift["property"]!, (string)drift["path"]!, (string)drift["base_hash"]!, (string)drift["text"]!)
                            : null,
                    });
                    break;
                case "approved" or "rejected":
                    var index = reviews.FindIndex(r => r.Id == id);
                    if (index >= 0 && reviews[index].Status == ReviewStatus.Pending)
                    {
                        reviews[index] = reviews[index] with
                        {
                            Status = (string?)entry["event"] == "approved" ? ReviewStatus.Approved : ReviewStatus.Rejected,
                            DecidedBy = (string?)entry["by"],
                            DecidedAt = DateTimeOffset.Parse((string)entry["at"]!, System.Globalization.CultureInfo.InvariantCulture),
                            Reason = (string?)entry["reason"],
                        };
                    }

                    break;
            }
        }

        return reviews;
    }

    public Review? Find(string id) => All().FirstOrDefault(r => r.Id == id);

    /// <summary>The review of this cell and fingerprint: the one already filed, or a new pending one.</summary>
    /// <param name="stage">The stage stopped at its gate.</param>
    /// <param name="partition">Its cell's partition; null for a whole-dataset cell.</param>
    /// <param name="fingerprint">The cell's fingerprint: what the review judges.</param>
    /// <param name="runId">The run that stopped.</param>
    /// <param name="breaches">The errors the gate stopped on.</param>
    /// <param name="now">When.</param>
    /// <param name="filed">True when the review is new.</param>
    /// <param name="drift">For schema drift, the input file's change the review judges; null for a gate.</param>
    public Review Request(string stage, string? partition, string fingerprint, string runId, IReadOnlyList<string> breaches, DateTimeOffset now, out bool filed, DriftAmendment? drift = null)
    {
        var id = IdOf(stage, partition, fingerprint);
        lock (_writing)
        {
            filed = false;
            if (Find(id) is { } existing)
            {
                return existing;
            }

            filed = true;

            var entry = new JsonObject
            {
                ["event"] = "requested",
                ["id"] = id,
                ["stage"] = stage,
                ["partition"] = partition,
                ["fingerprint"] = fingerprint,
                ["run_id"] = runId,
                ["at"] = Stamp(now),
                ["breaches"] = new JsonArray(breaches.Select(b => (JsonNode)JsonValue.Create(b)!).ToArray()),
            };
            if (drift is not null)
            {
                entry["drift"] = new JsonObject
                {
                    ["property"] = drift.Property,
                    ["path"] = drift.Path,
                    ["base_hash"] = drift.BaseHash,
                    ["text"] = drift.Text,
                };
            }

            Append(entry);
        }

        return new Review(id, stage, partition, fingerprint, runId, now, breaches) { Drift = drift };
    }

    /// <summary>Records the decision of a pending review; the caller has checked that it is pending.</summary>
    public Review Decide(Review review, bool approve, string by, string reason, DateTimeOffset now)
    {
        Append(new JsonObject
        {
            ["event"] = approve ? "approved" : "rejected",
            ["id"] = review.Id,
            ["by"] = by,
            ["at"] = Stamp(now),
            ["reason"] = reason,
        });
        return review with { Status = approve ? ReviewStatus.Approved : ReviewStatus.Rejected, DecidedBy = by, DecidedAt = now, Reason = reason };
    }

    private static string Stamp(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static JsonObject? Parse(string line)
    {
        try
        {
            return JsonNode.Parse(line) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private void Append(JsonObject entry)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        using var appending = Workspace.ShortLock.Take(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, "reviews.lock"), CancellationToken.None);
        using var stream = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        // A line torn by a crash stays apart from the next one: it ends here, unreadable, and is skipped on reading.
        if (stream.Length > 0)
        {
            stream.Seek(-1, SeekOrigin.End);
            if (stream.ReadByte() != '\n')
            {
                stream.WriteByte((byte)'\n');
            }
        }

        stream.Seek(0, SeekOrigin.End);
        var bytes = Utf8NoBom.GetBytes(entry.ToJsonString() + "\n");
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }
}
