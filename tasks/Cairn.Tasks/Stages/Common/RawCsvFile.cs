namespace Cairn.Stages.Common;

/// <summary>One raw CSV file as IngestCsv read it.</summary>
/// <param name="Path">The file as given in Sources.</param>
/// <param name="Header">The trimmed, lower-cased column names.</param>
/// <param name="Rows">The data rows, each as wide as the header.</param>
internal sealed record RawCsvFile(string Path, string[] Header, List<RawCsvRow> Rows);
