namespace Cairn.Engine.Publishing;

/// <summary>One published version: its folder's name (<c>model-0123456789abcdef</c>) and when it was last published.</summary>
internal sealed record PackageVersion(string Name, DateTimeOffset PublishedAt)
{
    /// <summary>The name's part after its last dash: the content hash the folder is named by.</summary>
    public string Hash => Name[(Name.LastIndexOf('-') + 1)..];
}
