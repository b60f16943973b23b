namespace Cairn.Engine.Observing;

/// <summary>
/// The run log (<c>.cairn/runs.db</c>) is damaged (SQLite's "malformed" or "not a database"): History and Health cannot
/// read it; the message names the file and says that the next run moves it aside. Exit code 1.
/// </summary>
internal sealed class RunLogDamagedException : Exception
{
    public RunLogDamagedException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public RunLogDamagedException(string message)
        : base(message)
    {
    }

    public RunLogDamagedException()
    {
    }
}
