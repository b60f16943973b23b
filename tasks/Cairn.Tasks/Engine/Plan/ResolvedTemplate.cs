using System.IO.Enumeration;
using Cairn.Engine.Configuration;

namespace Cairn.Engine.Plan;

/// <summary>
/// A stage property's path template with what does not depend on the partition worked out once per run: the folder
/// it starts from, how its bound paths name that root, whether it is a glob, and its text cut at the placeholders. A
/// no-op run binds every cell again (120,005 at 40,000 days), and each bound path then costs its two strings, not a
/// search and replace per placeholder, a root looked up, a prefix built and a path combined.
/// </summary>
internal sealed class ResolvedTemplate
{
    private static readonly string[] Placeholders = [PathTemplate.DatePlaceholder, PathTemplate.PartitionPlaceholder, PathTemplate.EachPlaceholder];

    // The longest full path looked up in place (on the stack) before a string is made for it.
    private const int MaxPathOnStack = 512;

    // The relative path between its placeholders: one more piece than it has placeholders.
    private readonly string[] _pieces;

    // What Path.Combine(Root, relative) puts before the relative path when that is the same for every partition: the
    // relative path's first two characters (which decide whether it is rooted) are the template's own. Null otherwise.
    private readonly string? _fullHead;

    // The one file of a template without placeholders, and of a cell without a partition (the template as written).
    private readonly BoundFile _unexpanded;

    /// <param name="property">The stage property the paths are bound to.</param>
    /// <param name="template">The path as the pipeline file gives it.</param>
    /// <param name="root">The folder the relative path starts from.</param>
    /// <param name="logicalPrefix">What a bound path's logical path starts with (<see cref="PathTemplate.Prefix"/> for an input, nothing for an output).</param>
    public ResolvedTemplate(string property, PathTemplate template, string root, string logicalPrefix)
    {
        Property = property;
        Template = template;
        Root = root;
        LogicalPrefix = logicalPrefix;
        IsGlob = template.IsGlob;
        UsesEach = template.UsesEach;
        _pieces = Cut(template.Relative);
        var first = _pieces[0];
        _fullHead = root.Length > 0 && first.Length >= 2 && !Path.IsPathRooted(first)
            ? Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar
            : null;
        _unexpanded = new BoundFile(property, logicalPrefix + template.Relative, Path.Combine(root, template.Relative));
        if (IsGlob)
        {
            var pattern = Path.GetFileName(template.Relative);
            PatternExpression = pattern.Contains('{', StringComparison.Ordinal) ? null : FileSystemName.TranslateWin32Expression(pattern);
        }
    }

    public string Property { get; }

    public PathTemplate Template { get; }

    /// <summary>The folder the relative path starts from: the workspace, the raw landing zone, the pipeline's folder or a named root.</summary>
    public string Root { get; }

    public string LogicalPrefix { get; }

    public bool IsGlob { get; }

    public bool UsesEach { get; }

    /// <summary>For a glob whose file name names no partition, its pattern as the file system matches it; null otherwise.</summary>
    public string? PatternExpression { get; }

    /// <summary>The one file a path that is not a glob names for the partition, as <see cref="PathTemplate.Expand"/> fills it in.</summary>
    /// <param name="partition">The partition, or null for a cell without one.</param>
    /// <param name="knownPath">The string already held for a full path, or null (<see cref="CellBinder.KnownPath"/>).</param>
    public BoundFile Bind(string? partition, Func<ReadOnlySpan<char>, string?>? knownPath = null)
    {
        if (partition is null || _pieces.Length == 1)
        {
            return _unexpanded;
        }

        // A partition holding a placeholder's text would be filled in again by the replacements PathTemplate.Expand
        // makes one after the other: it takes the general way, which does exactly that.
        if (_fullHead is null || partition.Contains('{', StringComparison.Ordinal))
        {
            var relative = Template.Expand(partition);
            var full = Path.Combine(Root, relative);
            return new BoundFile(Property, LogicalPrefix + relative, knownPath?.Invoke(full) ?? full);
        }

        // The full path is the head and then exactly the relative path the logical one ends with.
        return BoundFile.WithLogicalTail(Property, LogicalPrefix, JoinKnown(_fullHead, partition, knownPath), _fullHead.Length);
    }

    /// <summary>The head, then the pieces with the partition between them, in <paramref name="into"/> (as long as <see cref="LengthOf"/> says).</summary>
    private static void Fill(Span<char> into, string head, string partition, string[] pieces)
    {
        head.CopyTo(into);
        var at = head.Length;
        for (var i = 0; i < pieces.Length; i++)
        {
            if (i > 0)
            {
                partition.CopyTo(into[at..]);
                at += partition.Length;
            }

            pieces[i].CopyTo(into[at..]);
            at += pieces[i].Length;
        }
    }

    private int LengthOf(string head, string partition)
    {
        var length = head.Length + (partition.Length * (_pieces.Length - 1));
        foreach (var piece in _pieces)
        {
            length += piece.Length;
        }

        return length;
    }

    private string Join(string head, string partition) =>
        string.Create(LengthOf(head, partition), (head, partition, _pieces), static (span, state) => Fill(span, state.head, state.partition, state._pieces));

    /// <summary>As <see cref="Join"/>, but the string already held for the path when there is one: none is made for it.</summary>
    private string JoinKnown(string head, string partition, Func<ReadOnlySpan<char>, string?>? knownPath)
    {
        var length = LengthOf(head, partition);
        if (knownPath is null || length > MaxPathOnStack)
        {
            return Join(head, partition);
        }

        Span<char> path = stackalloc char[length];
        Fill(path, head, partition, _pieces);
        return knownPath(path) ?? new string(path);
    }

    /// <summary>The folder and the name joined, or the string already held for that path when there is one.</summary>
    public static string Concat(string folder, string name, Func<ReadOnlySpan<char>, string?>? knownPath)
    {
        var length = folder.Length + name.Length;
        if (knownPath is null || length > MaxPathOnStack)
        {
            return folder + name;
        }

        Span<char> path = stackalloc char[length];
        folder.CopyTo(path);
        name.CopyTo(path[folder.Length..]);
        return knownPath(path) ?? new string(path);
    }

    private static string[] Cut(string relative)
    {
        var pieces = new List<string>();
        var start = 0;
        for (var at = relative.IndexOf('{', StringComparison.Ordinal); at >= 0; at = relative.IndexOf('{', at + 1))
        {
            if (Placeholders.FirstOrDefault(p => relative.AsSpan(at).StartsWith(p, StringComparison.Ordinal)) is { } placeholder)
            {
                pieces.Add(relative[start..at]);
                start = at + placeholder.Length;
                at = start - 1;
            }
        }

        pieces.Add(relative[start..]);
        return [.. pieces];
    }
}
