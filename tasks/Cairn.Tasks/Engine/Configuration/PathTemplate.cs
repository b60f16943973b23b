namespace Cairn.Engine.Configuration;

/// <summary>
/// A path in a pipeline file: <c>{raw}/date={date}/*.csv</c>, <c>{pipeline}/config/contract.yaml</c>, or a
/// workspace-relative <c>data/features/date={each}/features.csv</c>. <c>{partition}</c> is the cell's partition key
/// (<c>{date}</c> is its other name in a pipeline of days); <c>{each}</c> expands to one path per partition of the stage's <c>reads:</c> window (whole-dataset stages only).
/// </summary>
internal sealed record PathTemplate(PathRoot Root, string Relative)
{
    public const string DatePlaceholder = "{date}";
    public const string PartitionPlaceholder = "{partition}";
    public const string EachPlaceholder = "{each}";

    /// <summary>The root's name for a <see cref="PathRoot.Named"/> root (<c>reference</c> for <c>{reference}/…</c>); null for the others.</summary>
    public string? RootName { get; init; }

    /// <summary>The names a root of <c>roots:</c> cannot take: the other roots and the placeholders.</summary>
    public static readonly string[] ReservedNames = ["raw", "pipeline", "workspace", "date", "partition", "each", "run", "dag", "overrides"];

    public bool UsesDate => Relative.Contains(DatePlaceholder, StringComparison.Ordinal);

    /// <summary>Whether the path names the cell's partition, by either name.</summary>
    public bool UsesPartition => UsesDate || Relative.Contains(PartitionPlaceholder, StringComparison.Ordinal);

    public bool UsesEach => Relative.Contains(EachPlaceholder, StringComparison.Ordinal);

    public bool IsGlob => Path.GetFileName(Relative).AsSpan().IndexOfAny('*', '?') >= 0;

    /// <summary>The template with <c>{each}</c> and <c>{date}</c> read as <c>{partition}</c>: two templates naming the same files compare equal.</summary>
    public string Shape => Prefix + Relative.Replace(EachPlaceholder, PartitionPlaceholder, StringComparison.Ordinal).Replace(DatePlaceholder, PartitionPlaceholder, StringComparison.Ordinal);

    /// <summary>How a bound path names its root in checkpoints and messages: <c>$raw/</c>, <c>$pipeline/</c>, <c>$reference/</c>, nothing for the workspace.</summary>
    public string Prefix => Root switch
    {
        PathRoot.Raw => "$raw/",
        PathRoot.Pipeline => "$pipeline/",
        PathRoot.Named => "$" + RootName + "/",
        _ => string.Empty,
    };

    public static bool TryParse(string text, out PathTemplate? template, out string? problem)
    {
        template = null;
        problem = null;
        var value = text.Trim().Replace('\\', '/');
        var root = PathRoot.Workspace;
        string? rootName = null;
        if (value.StartsWith("{raw}/", StringComparison.Ordinal))
        {
            root = PathRoot.Raw;
            value = value["{raw}/".Length..];
        }
        else if (value.StartsWith("{pipeline}/", StringComparison.Ordinal))
        {
            root = PathRoot.Pipeline;
            value = value["{pipeline}/".Length..];
        }
        else if (value.StartsWith('{') && value.IndexOf("}/", StringComparison.Ordinal) is > 1 and var end
            && value[1..end] is var name && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && !ReservedNames.Contains(name))
        {
            // A root the pipeline file names under roots:; the loader checks it is declared.
            root = PathRoot.Named;
            rootName = name;
            value = value[(end + 2)..];
        }

        if (value.Length == 0 || value.StartsWith('/') || Path.IsPathRooted(value))
        {
            problem = $"'{text}' must be relative: to the workspace, or start with {{raw}}/, {{pipeline}}/ or a root of roots: (e.g. {{reference}}/), and not leave it";
            return false;
        }

        if (value.Split('/').Any(segment => segment is ".." or "."))
        {
            problem = $"'{text}' must not contain '.' or '..' segments: a path stays inside its root";
            return false;
        }

        var withoutPlaceholders = value.Replace(DatePlaceholder, string.Empty, StringComparison.Ordinal).Replace(PartitionPlaceholder, string.Empty, StringComparison.Ordinal).Replace(EachPlaceholder, string.Empty, StringComparison.Ordinal);
        if (withoutPlaceholders.Contains('{', StringComparison.Ordinal) || withoutPlaceholders.Contains('}', StringComparison.Ordinal))
        {
            problem = $"'{text}' has an unknown placeholder; paths know {{raw}}, {{pipeline}}, {{partition}}, {{date}} and {{each}}";
            return false;
        }

        var directoryPart = value.Contains('/', StringComparison.Ordinal) ? value[..value.LastIndexOf('/')] : string.Empty;
        if (directoryPart.AsSpan().IndexOfAny('*', '?') >= 0)
        {
            problem = $"'{text}' may use * and ? only in its file name";
            return false;
        }

        template = new PathTemplate(root, value) { RootName = rootName };
        return true;
    }

    /// <summary>The relative path with the partition filled in.</summary>
    public string Expand(string? partitionKey)
    {
        if (partitionKey is null)
        {
            return Relative;
        }

        return Relative.Replace(DatePlaceholder, partitionKey, StringComparison.Ordinal).Replace(PartitionPlaceholder, partitionKey, StringComparison.Ordinal).Replace(EachPlaceholder, partitionKey, StringComparison.Ordinal);
    }

    public override string ToString() => Root switch
    {
        PathRoot.Raw => "{raw}/" + Relative,
        PathRoot.Pipeline => "{pipeline}/" + Relative,
        PathRoot.Named => "{" + RootName + "}/" + Relative,
        _ => Relative,
    };
}
