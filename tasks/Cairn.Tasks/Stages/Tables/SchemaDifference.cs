using System.Globalization;

namespace Cairn.Stages.Tables;

/// <summary>Where two files' data columns first differ, by name or by type: what stages reading several files into one table refuse.</summary>
/// <param name="Text">The difference, naming both files and the column (<c>b.csv header differs from a.csv at column 3: …</c>), without a fix.</param>
/// <param name="OfType">Whether the names agree and a type differs.</param>
internal sealed record SchemaDifference(string Text, bool OfType)
{
    /// <summary>The first difference of <paramref name="other"/>'s columns from <paramref name="first"/>'s, or null when they agree.</summary>
    public static SchemaDifference? Find(IReadOnlyList<SchemaColumn> first, string firstPath, IReadOnlyList<SchemaColumn> other, string path)
    {
        var width = Math.Max(first.Count, other.Count);
        for (var i = 0; i < width; i++)
        {
            var expected = i < first.Count ? first[i] : null;
            var actual = i < other.Count ? other[i] : null;
            if (!string.Equals(expected?.Name, actual?.Name, StringComparison.Ordinal))
            {
                var (shown, firstShown) = (actual is null ? "no column" : $"'{actual.Name}'", expected is null ? "no column" : $"'{expected.Name}'");
                return new SchemaDifference(string.Create(CultureInfo.InvariantCulture, $"{path} header differs from {firstPath} at column {i + 1}: {shown} in {path}, {firstShown} in {firstPath}"), OfType: false);
            }

            if (expected!.Type != actual!.Type)
            {
                return new SchemaDifference(string.Create(CultureInfo.InvariantCulture, $"{path} column {i + 1} '{actual.Name}' is {actual.Type.Name} in {path}, {expected.Type.Name} in {firstPath}"), OfType: true);
            }
        }

        return null;
    }
}
