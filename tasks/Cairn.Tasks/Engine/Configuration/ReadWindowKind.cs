namespace Cairn.Engine.Configuration;

/// <summary>Which partitions a whole-dataset stage reads through its <c>{each}</c> inputs (<c>reads:</c>).</summary>
internal enum ReadWindowKind
{
    /// <summary>Every partition the landing zone has, whatever the run selects (the default).</summary>
    All,

    /// <summary>Exactly the partitions the run selects.</summary>
    Selection,

    /// <summary>A trailing window of days, weeks or months that ends at the selection's last partition.</summary>
    Last,
}
