namespace Cairn.Engine.Workspace;

/// <summary>Another run holds the workspace and this run was told not to wait.</summary>
internal sealed class WorkspaceBusyException : Exception
{
    public WorkspaceBusyException(string message)
        : base(message)
    {
    }

    public WorkspaceBusyException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public WorkspaceBusyException()
    {
    }
}
