using Parquet;
using Parquet.Schema;

namespace Cairn.Stages.Tables;

/// <summary>A <see cref="TableColumn"/> whose values are <typeparamref name="T"/>, the type Parquet.Net reads and writes the column as.</summary>
internal abstract class TypedColumn<T>(string name, ColumnType type, bool nullable) : TableColumn(name, type, nullable)
    where T : struct
{
    // Parquet.Net reads and writes the non-null values packed together, with a definition level per row.
    private T[] _packed = [];
    private int[] _levels = [];

    private T[] _values = [];

    public T[] Values => _values;

    public override void Resize(int rows)
    {
        base.Resize(rows);
        Array.Resize(ref _values, rows);
    }

    public override void CopyRow(TableColumn source, int from, int to, CharArena text)
    {
        var typed = (TypedColumn<T>)source;
        Values[to] = typed.Values[from];
        SetNull(to, typed.IsNull(from));
    }

    public override async ValueTask ReadAsync(ParquetRowGroupReader group, DataField field, int rows)
    {
        if (field.MaxDefinitionLevel == 0)
        {
            await group.ReadRawAsync<T>(field, Values.AsMemory(0, rows), null, null).ConfigureAwait(false);
            for (var row = 0; row < rows; row++)
            {
                SetNull(row, false);
            }

            return;
        }

        EnsureScratch(rows);
        await group.ReadRawAsync<T>(field, _packed.AsMemory(0, rows), _levels.AsMemory(0, rows), null).ConfigureAwait(false);
        var defined = field.MaxDefinitionLevel;
        var next = 0;
        for (var row = 0; row < rows; row++)
        {
            var isNull = _levels[row] != defined;
            SetNull(row, isNull);
            Values[row] = isNull ? default : _packed[next++];
        }
    }

    public override async Task WriteAsync(ParquetRowGroupWriter group, DataField field, int start, int count)
    {
        if (!field.IsNullable)
        {
            await group.WriteAllPartsAsync<T>(field, Values.AsMemory(start, count), null, null, default).ConfigureAwait(false);
            return;
        }

        EnsureScratch(count);
        var packed = 0;
        for (var i = 0; i < count; i++)
        {
            var isNull = IsNull(start + i);
            _levels[i] = isNull ? 0 : 1;
            if (!isNull)
            {
                _packed[packed++] = Values[start + i];
            }
        }

        await group.WriteAllPartsAsync<T>(field, _packed.AsMemory(0, packed), _levels.AsMemory(0, count), null, default).ConfigureAwait(false);
    }

    private void EnsureScratch(int rows)
    {
        if (_packed.Length < rows)
        {
            _packed = new T[rows];
            _levels = new int[rows];
        }
    }
}
