namespace Cairn.Engine.Cache;

/// <summary>What a run does with the shared cache (<c>--cache-mode</c>).</summary>
internal enum CacheMode
{
    /// <summary>The cache is not used.</summary>
    Off,

    /// <summary>Stale cells are looked up and restored; nothing is uploaded.</summary>
    Read,

    /// <summary>Cells that ran are uploaded; nothing is looked up.</summary>
    Write,

    /// <summary>Both: the default when a cache is set.</summary>
    ReadWrite,
}
