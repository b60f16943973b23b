namespace Cairn.Stages.Common;

/// <summary>One data row of a raw CSV file.</summary>
/// <param name="Fields">The trimmed fields, padded or cut to the header's width.</param>
/// <param name="Line">The 1-based line where the row starts in its file.</param>
/// <param name="Error">Why the row could not be read cleanly; empty when it could.</param>
internal sealed record RawCsvRow(string[] Fields, long Line, string Error);
