using System.Globalization;
using Parquet.Schema;

namespace Cairn.Stages.Tables;

/// <summary>
/// The type of a table's column: text for every CSV column; for a Parquet column, the CLR type Parquet.Net reads it
/// as and what its Parquet type needs to be written back unchanged (decimal precision and scale, timestamp unit).
/// </summary>
internal sealed record ColumnType
{
    private static readonly Dictionary<Type, string> IntegerNames = new()
    {
        [typeof(sbyte)] = "int8",
        [typeof(byte)] = "uint8",
        [typeof(short)] = "int16",
        [typeof(ushort)] = "uint16",
        [typeof(int)] = "int32",
        [typeof(uint)] = "uint32",
        [typeof(long)] = "int64",
        [typeof(ulong)] = "uint64",
    };

    private ColumnType(ColumnKind kind, Type clrType, string name)
    {
        Kind = kind;
        ClrType = clrType;
        Name = name;
    }

    /// <summary>Text: what every CSV column is, and a Parquet string.</summary>
    public static ColumnType Text { get; } = new(ColumnKind.Text, typeof(ReadOnlyMemory<char>), "string");

    public ColumnKind Kind { get; }

    public Type ClrType { get; }

    /// <summary>The type as messages name it: <c>string</c>, <c>int64</c>, <c>double</c>, <c>decimal(10,2)</c>, <c>timestamp</c>...</summary>
    public string Name { get; }

    private int Precision { get; init; }

    private int Scale { get; init; }

    private bool DecimalAsBytes { get; init; }

    private DateTimeFormat TimestampFormat { get; init; }

    private bool TimestampUtc { get; init; }

    private DateTimeTimeUnit? TimestampUnit { get; init; }

    // A DateTime column Parquet.Net did not describe as a DateTimeDataField is written back as a plain DateTime field.
    private bool PlainTimestamp { get; init; }

    /// <summary>The type of a Parquet column, or null for one the built-in stages do not read (nested, repeated, binary, time of day, UUID, interval).</summary>
    public static ColumnType? FromField(DataField field)
    {
        if (field.IsArray || field.MaxRepetitionLevel > 0)
        {
            return null;
        }

        var clr = field.ClrType;
        if (clr == typeof(ReadOnlyMemory<char>) || clr == typeof(string))
        {
            return Text;
        }

        if (IntegerNames.TryGetValue(clr, out var integer))
        {
            return new ColumnType(ColumnKind.Integer, clr, integer);
        }

        return clr switch
        {
            _ when clr == typeof(bool) => new ColumnType(ColumnKind.Boolean, clr, "boolean"),
            _ when clr == typeof(double) => new ColumnType(ColumnKind.Number, clr, "double"),
            _ when clr == typeof(float) => new ColumnType(ColumnKind.Number, clr, "float"),
            _ when clr == typeof(DateOnly) => new ColumnType(ColumnKind.Date, clr, "date"),
            _ when clr == typeof(decimal) && field is DecimalDataField d => new ColumnType(
                ColumnKind.Decimal, clr, string.Create(CultureInfo.InvariantCulture, $"decimal({d.Precision},{d.Scale})"))
            {
                Precision = d.Precision,
                Scale = d.Scale,
                DecimalAsBytes = d.ForceByteArrayEncoding,
            },
            _ when clr == typeof(DateTime) && field is DateTimeDataField t => new ColumnType(ColumnKind.Timestamp, clr, "timestamp")
            {
                TimestampFormat = t.DateTimeFormat,
                TimestampUtc = t.IsAdjustedToUTC,
                TimestampUnit = t.Unit,
            },
            _ when clr == typeof(DateTime) => new ColumnType(ColumnKind.Timestamp, clr, "timestamp") { PlainTimestamp = true },
            _ => null,
        };
    }

    public DataField CreateField(string name, bool nullable) => Kind switch
    {
        ColumnKind.Text => new DataField<string>(name, nullable),
        ColumnKind.Decimal => new DecimalDataField(name, Precision, Scale, DecimalAsBytes, nullable),
        ColumnKind.Timestamp when !PlainTimestamp => new DateTimeDataField(name, TimestampFormat, TimestampUtc, TimestampUnit, nullable),
        _ => new DataField(name, ClrType, nullable),
    };

    public TableColumn CreateColumn(string name, bool nullable) => Kind switch
    {
        ColumnKind.Text => new TextColumn(name, nullable),
        ColumnKind.Boolean => new BooleanColumn(name, this, nullable),
        ColumnKind.Number when ClrType == typeof(float) => new FloatColumn<float>(name, this, nullable),
        ColumnKind.Number => new FloatColumn<double>(name, this, nullable),
        ColumnKind.Decimal => new DecimalColumn(name, this, nullable),
        ColumnKind.Date => new DateColumn(name, this, nullable),
        ColumnKind.Timestamp => new TimestampColumn(name, this, nullable),
        _ => CreateInteger(name, nullable),
    };

    private TableColumn CreateInteger(string name, bool nullable) => ClrType switch
    {
        _ when ClrType == typeof(sbyte) => new IntegerColumn<sbyte>(name, this, nullable),
        _ when ClrType == typeof(byte) => new IntegerColumn<byte>(name, this, nullable),
        _ when ClrType == typeof(short) => new IntegerColumn<short>(name, this, nullable),
        _ when ClrType == typeof(ushort) => new IntegerColumn<ushort>(name, this, nullable),
        _ when ClrType == typeof(int) => new IntegerColumn<int>(name, this, nullable),
        _ when ClrType == typeof(uint) => new IntegerColumn<uint>(name, this, nullable),
        _ when ClrType == typeof(ulong) => new IntegerColumn<ulong>(name, this, nullable),
        _ => new IntegerColumn<long>(name, this, nullable),
    };
}
