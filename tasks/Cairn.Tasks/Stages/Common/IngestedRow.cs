namespace Cairn.Stages.Common;

/// <summary>One row of an <see cref="IngestedTable"/>.</summary>
/// <param name="Values">The trimmed values, aligned with <see cref="IngestedTable.Columns"/>.</param>
/// <param name="Source">Where the row came from: <c>raw file name:line</c>.</param>
/// <param name="Error">Why the row could not be read cleanly (such as a field count mismatch); empty when it could.</param>
public sealed record IngestedRow(IReadOnlyList<string> Values, string Source, string Error);
