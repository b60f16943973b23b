namespace Cairn.Engine.Observing;

/// <summary>What Prune removed: runs (started from Oldest to Newest) and their logs, how many runs are left, and the database's size before and after.</summary>
internal sealed record PruneResult(int Runs, int Logs, DateTimeOffset? Oldest, DateTimeOffset? Newest, int Kept, long BytesBefore, long BytesAfter);
