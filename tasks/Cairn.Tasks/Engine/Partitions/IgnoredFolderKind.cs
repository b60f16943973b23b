namespace Cairn.Engine.Partitions;

/// <summary>Why a folder of the raw landing zone that looks like a partition is not one.</summary>
internal enum IgnoredFolderKind
{
    /// <summary><c>date=…</c> whose rest is not a key of the declared grain (<c>date=2013-6-3</c>, <c>date=2013-06-03.bak</c>, <c>hour=2013-06-03</c>).</summary>
    NotADate,

    /// <summary><c>DATE=…</c>, <c>Date=…</c>: folder names are matched exactly.</summary>
    OtherCase,

    /// <summary>A partition folder with no file matching <c>files:</c> (<c>*.csv</c> by default) in it (empty, or only <c>X.CSV</c>).</summary>
    NoCsv,

    /// <summary>A partition folder below the landing zone's top (<c>2013/date=…</c>), or raw files in a partition's subfolder.</summary>
    Nested,
}
