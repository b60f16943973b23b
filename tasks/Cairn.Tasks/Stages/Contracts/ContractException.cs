namespace Cairn.Stages.Contracts;

/// <summary>
/// A contract file that cannot be read or is malformed. The message names the contract file, the line and
/// column, the key at fault and how to fix it.
/// </summary>
public sealed class ContractException : Exception
{
    public ContractException()
    {
    }

    public ContractException(string message)
        : base(message)
    {
    }

    public ContractException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
