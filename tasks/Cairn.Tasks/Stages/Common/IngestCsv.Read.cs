using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using CsvHelper;

namespace Cairn.Stages.Common;

/// <summary>Reading one raw file: encoding, CSV parsing, header rules and row errors.</summary>
public sealed partial class IngestCsv
{
    private static readonly CsvReaderOptions RawOptions = CsvReaderOptions.Default with
    {
        // Never guess the separator: a one-column file with a ';' in it must not switch separators.
        Separator = ',',

        // The header is read as a record so that its line number is known.
        HasHeader = false,
        TrimWhitespace = true,
        TrimInsideQuotes = true,
        TrackLineNumbers = true,
    };

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private static ReadOnlySpan<byte> Utf16LittleEndianBom => [0xFF, 0xFE];

    private static ReadOnlySpan<byte> Utf16BigEndianBom => [0xFE, 0xFF];

    private RawCsvFile? ReadSource(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogError("CAIRN1004", $"{path} cannot be read: {e.Message}");
            return null;
        }

        if (bytes.Length == 0)
        {
            LogError("CAIRN1001", $"{path} is empty (0 bytes), so it has no header. Fix: re-export the file with its header row, or remove it from the partition.");
            return null;
        }

        // CsvHelper keeps a UTF-8 byte order mark as part of the first header name and reads invalid UTF-8 as U+FFFD
        // without a word, so both are handled here, on the bytes.
        var text = bytes.AsMemory(bytes.AsSpan().StartsWith(Utf8Bom) ? Utf8Bom.Length : 0);
        if (bytes.AsSpan().StartsWith(Utf16LittleEndianBom) || bytes.AsSpan().StartsWith(Utf16BigEndianBom))
        {
            LogError("CAIRN1004", $"{path} is UTF-16 text (it starts with a UTF-16 byte order mark). Fix: re-export the file as UTF-8.");
            return null;
        }

        if (FirstInvalidUtf8Line(text.Span) is { } badLine)
        {
            LogError("CAIRN1004", string.Create(CultureInfo.InvariantCulture, $"{path} line {badLine} is not valid UTF-8. Fix: re-export the file as UTF-8."));
            return null;
        }

        var malformed = new Dictionary<long, CsvMalformedReason>();
        using var reader = CsvReader.Create(text, RawOptions with { OnMalformedRecord = m => malformed.TryAdd(m.LineNumber, m.Reason) });
        if (!reader.Read())
        {
            LogError("CAIRN1001", $"{path} has no header row, only blank lines. Fix: re-export the file with its header row, or remove it from the partition.");
            return null;
        }

        var headerLine = reader.LineNumber;
        var header = Fields(reader).Select(name => name.ToLowerInvariant()).ToArray();
        if (!HeaderIsUsable(path, headerLine, header))
        {
            return null;
        }

        var rows = new List<RawCsvRow>();
        while (reader.Read())
        {
            rows.Add(ReadRow(reader, header.Length, malformed));
        }

        if (rows.Count == 0)
        {
            LogWarning("CAIRN1101", $"{path} has a header but no data rows; it adds no rows.");
        }

        return new RawCsvFile(path, header, rows);
    }

    private static RawCsvRow ReadRow(CsvReader reader, int width, Dictionary<long, CsvMalformedReason> malformed)
    {
        var line = reader.LineNumber;
        var fields = Fields(reader);
        var errors = new List<string>(2);
        if (malformed.TryGetValue(line, out var reason))
        {
            errors.Add(Describe(reason));
        }

        if (fields.Length != width)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"row has {fields.Length} fields, header has {width}"));

            // Keep the fields that have a column; a short row gets empty values for the rest.
            var kept = new string[width];
            Array.Fill(kept, string.Empty);
            Array.Copy(fields, kept, Math.Min(width, fields.Length));
            fields = kept;
        }

        return new RawCsvRow(fields, line, string.Join("; ", errors));
    }

    private bool HeaderIsUsable(string path, long line, string[] header)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            var name = header[i];
            var problem =
                name.Length == 0 ? "has no name"
                : name is IngestedTable.SourceColumn or IngestedTable.ErrorColumn ? $"is named '{name}', which IngestCsv adds itself"
                : seen.TryGetValue(name, out var first) ? $"'{name}' repeats column {first + 1}"
                : null;
            if (problem is not null)
            {
                LogError(
                    "CAIRN1003",
                    string.Create(CultureInfo.InvariantCulture, $"{path} line {line}: header column {i + 1} {problem}. Fix: give every column a distinct name in the file's header."));
                return false;
            }

            seen[name] = i;
        }

        return true;
    }

    private static string[] Fields(CsvReader reader)
    {
        var fields = new string[reader.FieldCount];
        for (var i = 0; i < fields.Length; i++)
        {
            // CsvHelper trims spaces and tabs; Trim() also removes the other Unicode white space, such as no-break spaces.
            fields[i] = (reader.GetString(i) ?? string.Empty).Trim();
        }

        return fields;
    }

    private static string Describe(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.StrayQuote => "malformed quoting: a quote inside an unquoted field",
        CsvMalformedReason.TextAfterClosingQuote => "malformed quoting: text after a closing quote",
        CsvMalformedReason.UnterminatedQuote => "malformed quoting: a quoted field is never closed",
        _ => $"malformed record: {reason}",
    };

    private static long? FirstInvalidUtf8Line(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
        {
            return null;
        }

        var offset = 0;
        while (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) == OperationStatus.Done)
        {
            offset += consumed;
        }

        return bytes[..offset].Count((byte)'\n') + 1;
    }
}
