namespace Cairn.Stages.Tables;

/// <summary>A data column of a table: its name (trimmed, lower case), type and whether it may hold nulls.</summary>
internal sealed record SchemaColumn(string Name, ColumnType Type, bool Nullable);
