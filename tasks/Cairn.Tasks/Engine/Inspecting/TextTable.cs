namespace Cairn.Engine.Inspecting;

/// <summary>A plain-text table: columns as wide as their widest cell, two spaces apart; the last column is never padded.</summary>
internal sealed class TextTable
{
    private readonly string[] _headings;
    private readonly List<string[]> _rows = [];

    public TextTable(params string[] headings) => _headings = headings;

    public void Add(params string[] cells) => _rows.Add(cells);

    public void Write(TextWriter output, IReadOnlyCollection<int> rightAligned, string indent = "")
    {
        var widths = _headings.Select((h, i) => _rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        foreach (var row in _rows.Prepend(_headings))
        {
            var cells = row.Select((cell, i) => i == row.Length - 1 && !rightAligned.Contains(i)
                ? cell
                : rightAligned.Contains(i) ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]));
            output.WriteLine(indent + string.Join("  ", cells).TrimEnd());
        }
    }
}
