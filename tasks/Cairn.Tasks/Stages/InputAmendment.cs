namespace Cairn.Stages;

/// <summary>
/// A change a stage proposes to one of its input files (schema drift: a contract that no longer describes the data):
/// the input property, the file's whole new text, and each change in a sentence. The engine holds the cell for a
/// person's review; approving it writes <see cref="Text"/> to the file.
/// </summary>
internal sealed record InputAmendment(string Property, string Text, IReadOnlyList<string> Changes);
