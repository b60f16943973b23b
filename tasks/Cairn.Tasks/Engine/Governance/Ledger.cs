using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Cairn.Engine.Governance;

/// <summary>
/// The evidence ledger, <c>.cairn/governance/ledger.jsonl</c>: one JSON object per line, appended only, each ending in
/// <c>"hash"</c>, the SHA-256 of the line before that field, which covers <c>"prev"</c>, the previous line's hash, and
/// <c>"seq"</c>, its place. Editing, removing or reordering a line breaks the chain (<see cref="LedgerVerifier"/>).
/// Runs on disjoint cells of one workspace append to it at the same time: each append is made under
/// <c>ledger.lock</c> beside it, after reading what other processes appended since (so the chain continues from the
/// true last line); within a run, one entry at a time. The lock's file stays open for the ledger's life and is locked
/// for each append alone (<see cref="Workspace.ReusableShortLock"/>): a run appends once per cell. A last line torn by a crash is cut off when it is next
/// appended to, and the cut is recorded.
/// </summary>
internal sealed class Ledger : IDisposable
{
    public const string HashField = ",\"hash\":\"";
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private readonly Lock _writing = new();
    private readonly Action<string> _warn;
    private readonly Workspace.ReusableShortLock _appending;
    private FileStream? _stream;
    private long _seq;
    private long _end;
    private string _previous = string.Empty;

    /// <param name="stateDirectory">The workspace's <c>.cairn/</c>.</param>
    /// <param name="warn">Where a problem found on opening goes (the run carries on).</param>
    public Ledger(string stateDirectory, Action<string> warn)
    {
        Path = LedgerPath(stateDirectory);
        _warn = warn;
        _appending = new Workspace.ReusableShortLock(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, "ledger.lock"));
    }

    public string Path { get; }

    public static string LedgerPath(string stateDirectory) => System.IO.Path.Combine(stateDirectory, "governance", "ledger.jsonl");

    /// <summary>The SHA-256, in lower-case hex, a line's hash field must hold: over the line up to that field.</summary>
    public static string HashOf(string body) => Convert.ToHexStringLower(SHA256.HashData(Utf8NoBom.GetBytes(body)));

    /// <summary>Appends one entry of the kind with the fields (in the order given), chained to the last one.</summary>
    public void Append(string kind, JsonObject fields)
    {
        lock (_writing)
        {
            using var appending = _appending.Take(CancellationToken.None);
            CatchUp(Open());
            AppendUnlocked(kind, fields);
        }
    }

    public void Dispose()
    {
        lock (_writing)
        {
            if (_stream is not null)
            {
                _stream.Flush(flushToDisk: true);
                _stream.Dispose();
                _stream = null;
            }

            _appending.Dispose();
        }
    }

    private FileStream Open()
    {
        if (_stream is not null)
        {
            return _stream;
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _stream = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
        _end = 0;
        return _stream;
    }

    /// <summary>
    /// Continues the chain from what was appended since this ledger last wrote or read (by another run, or all of it at
    /// first): only its last whole line counts, so only the file's end is read. The ledger grows by an entry for every
    /// cell a run runs (55 MB after a first run of 40,000 days), and reading all of it at each run's start cost time and
    /// memory in proportion to the workspace's history.
    /// </summary>
    private void CatchUp(FileStream stream)
    {
        var length = stream.Length;
        if (length == _end)
        {
            return;
        }

        if (length < _end)
        {
            // Cut short by hand since: read it again from the start (Verify names the break).
            _end = 0;
        }

        var newline = LastNewline(stream, _end, length);
        var end = newline < 0 ? _end : newline + 1;
        var torn = length - end;
        if (torn > 0)
        {
            // A crash mid-append left part of a line: it was never a whole entry, so it is cut off, and the cut recorded.
            stream.SetLength(end);
        }

        var last = LastLine(stream, _end, end);
        stream.Seek(0, SeekOrigin.End);
        _end = stream.Position;
        if (last is not null)
        {
            ReadTail(last);
        }

        if (torn > 0)
        {
            _warn($"the ledger {Path} ended in a line torn by a crash ({torn} bytes); it was cut off, and the cut is recorded in the ledger.");
            AppendUnlocked("ledger_repaired", new JsonObject { ["dropped_bytes"] = torn });
        }
    }

    /// <summary>The last non-empty line of the bytes from <paramref name="from"/> to <paramref name="end"/> (just after a newline, or <paramref name="from"/>); null when there is none.</summary>
    private static string? LastLine(FileStream stream, long from, long end)
    {
        // The newline that ends each candidate line, from the last back.
        var lineEnd = end - 1;
        while (lineEnd >= from)
        {
            var start = LastNewline(stream, from, lineEnd) + 1;
            start = Math.Max(start, from);
            if (lineEnd > start)
            {
                var bytes = new byte[lineEnd - start];
                stream.Seek(start, SeekOrigin.Begin);
                stream.ReadExactly(bytes);
                return Utf8NoBom.GetString(bytes);
            }

            lineEnd = start - 1;
        }

        return null;
    }

    /// <summary>Where the last newline between <paramref name="from"/> and <paramref name="to"/> (excluded) is, read back from the end a block at a time; -1 when there is none.</summary>
    private static long LastNewline(FileStream stream, long from, long to)
    {
        var buffer = new byte[(int)Math.Clamp(to - from, 1, 64 * 1024)];
        var position = to;
        while (position > from)
        {
            var size = (int)Math.Min(buffer.Length, position - from);
            position -= size;
            stream.Seek(position, SeekOrigin.Begin);
            stream.ReadExactly(buffer, 0, size);
            var at = buffer.AsSpan(0, size).LastIndexOf((byte)'\n');
            if (at >= 0)
            {
                return position + at;
            }
        }

        return -1;
    }

    private void AppendUnlocked(string kind, JsonObject fields)
    {
        var entry = new JsonObject
        {
            ["seq"] = ++_seq,
            ["at"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["kind"] = kind,
        };
        foreach (var (name, value) in fields)
        {
            entry[name] = value?.DeepClone();
        }

        entry["prev"] = _previous;
        var body = entry.ToJsonString();
        var hash = HashOf(body);
        // The end as CatchUp found it under the lock (seeking from the end would ask the file its length again).
        _stream!.Position = _end;
        _stream.Write(Utf8NoBom.GetBytes(body[..^1] + HashField + hash + "\"}\n"));
        _stream.Flush();
        _end = _stream.Position;
        _previous = hash;
    }

    /// <summary>Continues the chain from the last line: its seq and its hash, as written (a hand-edited ledger fails Verify, not the run).</summary>
    private void ReadTail(string line)
    {
        var at = line.LastIndexOf(HashField, StringComparison.Ordinal);
        try
        {
            if (at < 0 || JsonNode.Parse(line) is not JsonObject last || last["seq"] is null)
            {
                throw new System.Text.Json.JsonException("no seq or hash");
            }

            _seq = (long)last["seq"]!;
            _previous = (string?)last["hash"] ?? string.Empty;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            _warn($"the ledger {Path} ends in a line that is not a ledger entry; appending after it (./build.sh --target=Verify names the break).");
            _seq = File.ReadLines(Path).LongCount();
        }
    }
}
