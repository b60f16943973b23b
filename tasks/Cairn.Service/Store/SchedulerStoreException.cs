namespace Cairn.Service.Store;

/// <summary>The service's database cannot be used (locked, damaged, from a newer Cairn, not Cairn's). The message says what to do; the service exits 2.</summary>
internal sealed class SchedulerStoreException : Exception
{
    public SchedulerStoreException(string message)
        : base(message)
    {
    }

    public SchedulerStoreException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public SchedulerStoreException()
    {
    }
}
