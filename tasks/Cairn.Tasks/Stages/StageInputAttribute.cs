namespace Cairn.Stages;

/// <summary>
/// Marks a stage task property as an input file (<see cref="string"/>) or a list of input files
/// (<c>ITaskItem[]</c>). The engine hashes every input file's content into the cell's fingerprint.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class StageInputAttribute : Attribute
{
    /// <summary>
    /// The file is a data contract (<c>[StageInput(Contract = true)]</c>): its content hash is the contract version
    /// that every cell built from it, or downstream of it, records in its checkpoint and run-log row, and that a
    /// <c>{contract}</c> parameter (a package manifest's <c>contract_version</c>) is bound to.
    /// </summary>
    public bool Contract { get; set; }
}
