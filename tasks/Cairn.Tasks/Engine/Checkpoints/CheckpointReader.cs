using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Cairn.Engine.Checkpoints;

/// <summary>
/// Reads a checkpoint exactly as Cairn writes it, by hand over a <see cref="Utf8JsonReader"/>: a no-op reads one for
/// every cell (120,000 at 40,000 partitions), and the serializer's general path cost more than all the rest of the
/// decision. It takes only the shape <see cref="CheckpointStore.Write"/> gives (known fields, each once, of its JSON
/// type, none null that must not be) and gives up on anything else, which the serializer then reads, so a checkpoint
/// it does not take still gets the serializer's answer and its message.
/// </summary>
internal static class CheckpointReader
{
    private const int Format = 0, Stage = 1, Partition = 2, Fingerprint = 3, HashAlgorithm = 4, CodeVersion = 5, Inputs = 6,
        Outputs = 7, Parameters = 8, Metrics = 9, Attempts = 10, RunId = 11, Environment = 12, StartedAt = 13, FinishedAt = 14,
        DurationMs = 15, ToolVersion = 16, Restored = 17, ContractVersion = 18, PassedByReview = 19;

    // Every field a checkpoint must carry (the record's required members), and the two Cairn always writes whose
    // absence the serializer reads as 0 rather than as the record's defaults: left to it.
    private const int Required = (1 << Format) | (1 << Attempts) | (1 << Stage) | (1 << Fingerprint) | (1 << HashAlgorithm) | (1 << CodeVersion) | (1 << Inputs) | (1 << Outputs)
        | (1 << Parameters) | (1 << Metrics) | (1 << RunId) | (1 << Environment) | (1 << StartedAt) | (1 << FinishedAt) | (1 << DurationMs) | (1 << ToolVersion);

    // In the order the serializer writes them, so that each is found at its first guess.
    private static readonly byte[][] Names =
    [
        "format"u8.ToArray(), "stage"u8.ToArray(), "partition"u8.ToArray(), "fingerprint"u8.ToArray(), "hashAlgorithm"u8.ToArray(),
        "codeVersion"u8.ToArray(), "inputs"u8.ToArray(), "outputs"u8.ToArray(), "parameters"u8.ToArray(), "metrics"u8.ToArray(),
        "attempts"u8.ToArray(), "runId"u8.ToArray(), "environment"u8.ToArray(), "startedAt"u8.ToArray(), "finishedAt"u8.ToArray(),
        "durationMs"u8.ToArray(), "toolVersion"u8.ToArray(), "restored"u8.ToArray(), "contractVersion"u8.ToArray(), "passedByReview"u8.ToArray(),
    ];

    /// <summary>The checkpoint in <paramref name="text"/>, or null when it is not exactly of the shape Cairn writes.</summary>
    /// <param name="text">The whole <c>.ok</c> file.</param>
    /// <param name="stage">The stage the file should belong to: its string is used when the file names it.</param>
    /// <param name="partition">The partition the file should belong to, likewise.</param>
    /// <param name="recent">Strings most cells share (the tool and code versions, the run): reused rather than made again.</param>
    /// <param name="owner">The array <paramref name="text"/> is the whole of, when the caller gives it up (<see cref="LazyCheckpointFiles.TryRead"/>); null for a borrowed buffer.</param>
    public static Checkpoint? TryRead(ReadOnlySpan<byte> text, string stage, string? partition, RecentStrings recent, byte[]? owner = null)
    {
        try
        {
            return Read(text, stage, partition, recent, owner);
        }
        catch (JsonException)
        {
            // Not JSON at all: the serializer says where.
            return null;
        }
        catch (InvalidOperationException)
        {
            // A string that is not text (invalid UTF-8, a lone surrogate escaped): the serializer says which.
            return null;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Checkpoint? Read(ReadOnlySpan<byte> text, string stage, string? partition, RecentStrings recent, byte[]? owner)
    {
        var reader = new Utf8JsonReader(text);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        var seen = 0;
        var next = 0;
        int format = 0, attempts = 0;
        string? stageName = null, partitionName = null, fingerprint = null, hashAlgorithm = null, codeVersion = null, runId = null, environment = null,
            toolVersion = null, restored = null, contractVersion = null, passedByReview = null;
        LazyCheckpointFiles? inputs = null;
        List<CheckpointFile>? outputs = null;
        Dictionary<string, string>? parameters = null;
        Dictionary<string, double>? metrics = null;
        DateTimeOffset startedAt = default, finishedAt = default;
        double durationMs = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = FieldAt(ref reader, next);
            if (field < 0 || (seen & (1 << field)) != 0)
            {
                return null;
            }

            seen |= 1 << field;
            next = field + 1;
            reader.Read();
            var ok = field switch
            {
                Format => TryInt(ref reader, out format),
                Stage => TryString(ref reader, stage, out stageName),
                Partition => TryNullableString(ref reader, partition, out partitionName),
                Fingerprint => TryString(ref reader, null, out fingerprint),
                HashAlgorithm => TryRecent(ref reader, recent, HashAlgorithm, out hashAlgorithm),
                CodeVersion => TryRecent(ref reader, recent, CodeVersion, out codeVersion),
                Inputs => reader.TokenType == JsonTokenType.StartArray && (inputs = LazyCheckpointFiles.TryRead(ref reader, text, owner)) is not null,
                Outputs => (outputs = TryFiles(ref reader, recent)) is not null,
                Parameters => (parameters = TryParameters(ref reader)) is not null,
                Metrics => (metrics = TryMetrics(ref reader)) is not null,
                Attempts => TryInt(ref reader, out attempts),
                RunId => TryRecent(ref reader, recent, RunId, out runId),
                Environment => TryRecent(ref reader, recent, Environment, out environment),
                StartedAt => reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out startedAt),
                FinishedAt => reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out finishedAt),
                DurationMs => reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out durationMs),
                ToolVersion => TryRecent(ref reader, recent, ToolVersion, out toolVersion),
                Restored => TryNullableString(ref reader, null, out restored),
                ContractVersion => reader.TokenType == JsonTokenType.Null || TryRecent(ref reader, recent, ContractVersion, out contractVersion),
                _ => TryNullableString(ref reader, null, out passedByReview),
            };
            if (!ok)
            {
                return null;
            }
        }

        // The object closed, all that must be there is, and nothing but white space follows it.
        if (reader.TokenType != JsonTokenType.EndObject || (seen & Required) != Required || reader.Read())
        {
            return null;
        }

        return new Checkpoint
        {
            Format = format,
            Stage = stageName!,
            Partition = partitionName,
            Fingerprint = fingerprint!,
            HashAlgorithm = hashAlgorithm!,
            CodeVersion = codeVersion!,
            Inputs = inputs!,
            Outputs = outputs!,
            Parameters = parameters!,
            Metrics = metrics!,
            Attempts = attempts,
            RunId = runId!,
            Environment = environment!,
            StartedAt = startedAt,
            FinishedAt = finishedAt,
            DurationMs = durationMs,
            ToolVersion = toolVersion!,
            Restored = restored,
            ContractVersion = contractVersion,
            PassedByReview = passedByReview,
        };
    }

    private static int FieldAt(ref Utf8JsonReader reader, int guess)
    {
        if (guess < Names.Length && reader.ValueTextEquals(Names[guess]))
        {
            return guess;
        }

        for (var i = 0; i < Names.Length; i++)
        {
            if (reader.ValueTextEquals(Names[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool TryInt(ref Utf8JsonReader reader, out int value)
    {
        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out value);
    }

    private static bool TryString(ref Utf8JsonReader reader, string? expected, out string? value)
    {
        value = null;
        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        value = expected is not null && reader.ValueTextEquals(expected) ? expected : reader.GetString();
        return true;
    }

    private static bool TryNullableString(ref Utf8JsonReader reader, string? expected, out string? value)
    {
        value = null;
        return reader.TokenType == JsonTokenType.Null || TryString(ref reader, expected, out value);
    }

    private static bool TryRecent(ref Utf8JsonReader reader, RecentStrings recent, int slot, out string? value)
    {
        value = null;
        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        value = recent.Of(ref reader, slot);
        return true;
    }

    /// <summary>The recorded outputs: objects with exactly a string <c>property</c>, <c>path</c> and <c>hash</c>.</summary>
    private static List<CheckpointFile>? TryFiles(ref Utf8JsonReader reader, RecentStrings recent)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return null;
        }

        var files = new List<CheckpointFile>(2);
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            string? property = null, path = null, hash = null;
            var fields = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = reader.ValueTextEquals("property"u8) ? 1 : reader.ValueTextEquals("path"u8) ? 2 : reader.ValueTextEquals("hash"u8) ? 4 : 0;
                if (field == 0 || (fields & field) != 0 || !reader.Read() || reader.TokenType != JsonTokenType.String)
                {
                    return null;
                }

                fields |= field;
                switch (field)
                {
                    case 1: property = recent.Of(ref reader, RecentStrings.OutputProperty + Math.Min(files.Count, RecentStrings.OutputProperties - 1)); break;
                    case 2: path = reader.GetString(); break;
                    default: hash = reader.GetString(); break;
                }
            }

            if (fields != 7)
            {
                return null;
            }

            files.Add(new CheckpointFile(property!, path!, hash!));
        }

        return reader.TokenType == JsonTokenType.EndArray ? files : null;
    }

    private static Dictionary<string, string>? TryParameters(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        var parameters = new Dictionary<string, string>(1);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            if (!reader.Read() || reader.TokenType != JsonTokenType.String || !parameters.TryAdd(name, reader.GetString()!))
            {
                return null;
            }
        }

        return parameters;
    }

    private static Dictionary<string, double>? TryMetrics(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        var metrics = new Dictionary<string, double>(3);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var value) || !metrics.TryAdd(name, value))
            {
                return null;
            }
        }

        return metrics;
    }
}
