using System.Text;

namespace Cairn.Tests.Reliability;

/// <summary>One bad raw file of the matrix: the day it is delivered for, its bytes, and what the pipeline must make of it.</summary>
/// <param name="Case">What is wrong with it, e.g. <c>unparseable number</c>.</param>
/// <param name="Day">Its partition.</param>
/// <param name="Content">The file's bytes.</param>
internal sealed record BadInput(string Case, string Day, byte[] Content)
{
    public static readonly string[] PartitionedStages = ["Ingest", "Validate", "Clean"];

    /// <summary>The stage that must fail on the file, or null when the file must go through.</summary>
    public string? FailingStage { get; init; }

    /// <summary>A line the run must print about the file: its failure, or a warning.</summary>
    public string? Message { get; init; }

    /// <summary>How many of its rows must become features.</summary>
    public int GoodRows { get; init; }

    /// <summary>The quarantine CSV's rows (after its header) the file must give, in order.</summary>
    public IReadOnlyList<string> Quarantined { get; init; } = [];

    /// <summary>The stages whose cell for the day must re-run once the file is replaced by a clean one.</summary>
    public IReadOnlyList<string> RerunAfterFix { get; init; } = PartitionedStages;

    /// <summary>The data rows in the file: every one must end up as a feature or in quarantine.</summary>
    public int Rows => Encoding.UTF8.GetString(Content).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1;

    public override string ToString() => $"{Case} ({Day})";
}
