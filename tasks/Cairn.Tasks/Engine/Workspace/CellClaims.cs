using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cairn.Engine.Workspace;

/// <summary>
/// Which (stage, partition) cells each live run on a workspace holds, so runs whose cells do not overlap go on at the
/// same time and a run that needs a cell another holds waits for it (or, told not to wait, fails at once naming it).
/// In <c>.cairn/claims/</c> each run has <c>RUN.lock</c>, an OS file lock it holds for its whole life (its liveness:
/// the OS drops it when the process dies, so a killed run's claims stop counting without anyone deleting a file) and
/// <c>RUN.claim</c>, the cells it holds (JSON), rewritten as it claims more. Every read and write of the folder is
/// made under <c>.cairn/claims.lock</c> (<see cref="ShortLock"/>).
/// </summary>
/// <remarks>
/// A database's conservative two-phase locking: a run claims every cell it may write (each stage of its target, for
/// its partitions) at once before it runs any, all or nothing, and holds them to its end (a later stage reads what an
/// earlier one wrote, and no other run may rewrite it meanwhile). A run never holds some cells while it waits for
/// others, so two runs never wait for each other (no deadlock), and a run told not to wait fails before anything ran.
/// </remarks>
internal sealed class CellClaims : IDisposable
{
    private const string WholeDataset = "";
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    private readonly string _folder;
    private readonly string _guard;
    private readonly string _runId;
    private readonly string _holder;
    private readonly FileStream _alive;
    private readonly SortedDictionary<string, List<string>> _held = new(StringComparer.Ordinal);
    private bool _released;

    private CellClaims(string folder, string guard, string runId, string holder, FileStream alive)
    {
        _folder = folder;
        _guard = guard;
        _runId = runId;
        _holder = holder;
        _alive = alive;
    }

    /// <summary>
    /// Registers the run (holding nothing yet). <paramref name="underGuard"/> is called first, with the other runs
    /// found, while no run can register or release: the place to clear what dead runs left before anyone else starts.
    /// </summary>
    /// <param name="stateDirectory">The workspace's <c>.cairn/</c>.</param>
    /// <param name="runId">This run.</param>
    /// <param name="target">The run's target, said to a run that waits for it.</param>
    /// <param name="underGuard">Called with the other runs, under the registry's lock.</param>
    /// <param name="cancellation">Stops waiting for the registry's lock.</param>
    public static CellClaims Register(string stateDirectory, string runId, string target, Action<ClaimPeers> underGuard, CancellationToken cancellation)
    {
        var folder = Path.Combine(stateDirectory, "claims");
        var guard = Path.Combine(stateDirectory, "claims.lock");
        using (ShortLock.Take(guard, cancellation))
        {
            Directory.CreateDirectory(folder);
            var (live, dead) = Peers(folder, runId);
            var peers = new ClaimPeers(live.Select(c => c.RunId).ToHashSet(StringComparer.Ordinal), dead);
            underGuard(peers);
            if (peers.Alone)
            {
                // The dead runs' leftovers were cleared just now (underGuard): their claims have said what they had to.
                foreach (var run in dead)
                {
                    File.Delete(Path.Combine(folder, run + ".claim"));
                    File.Delete(Path.Combine(folder, run + ".lock"));
                }
            }

            var holder = string.Create(CultureInfo.InvariantCulture, $"pid {Environment.ProcessId} on {Environment.MachineName} since {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss} UTC, --target={target}");
            var alive = new FileStream(Path.Combine(folder, runId + ".lock"), FileMode.Create, FileAccess.ReadWrite, FileShare.None);
            var claims = new CellClaims(folder, guard, runId, holder, alive);
            try
            {
                claims.Write();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                alive.Dispose();
                File.Delete(Path.Combine(folder, runId + ".lock"));
                throw;
            }

            return claims;
        }
    }

    /// <summary>Whether another run is alive on the workspace now.</summary>
    public bool OthersAlive(CancellationToken cancellation)
    {
        using (ShortLock.Take(_guard, cancellation))
        {
            return Peers(_folder, _runId).Live.Count > 0;
        }
    }

    /// <summary>
    /// Claims the cells for the rest of the run, all at once: as soon as no other live run holds any of them (said
    /// once through <paramref name="say"/>, naming the cells and the runs holding them), or, unless
    /// <paramref name="wait"/>, not at all. All or nothing, so a run never holds some cells while it waits for others,
    /// and two runs never wait for each other.
    /// </summary>
    /// <param name="cells">Each stage's cells: its partitions (null: its one whole-dataset cell).</param>
    /// <param name="wait">Wait for the holders to end; otherwise return at once what they hold.</param>
    /// <param name="say">Where the waiting is said, once.</param>
    /// <param name="cancellation">Stops waiting.</param>
    /// <returns>Null once claimed; the cells held by others when <paramref name="wait"/> is false and some are.</returns>
    public IReadOnlyList<HeldCells>? Claim(IReadOnlyList<(string Stage, IReadOnlyList<string?> Partitions)> cells, bool wait, Action<IReadOnlyList<HeldCells>> say, CancellationToken cancellation)
    {
        var announced = false;
        while (true)
        {
            List<HeldCells> conflicts;
            using (ShortLock.Take(_guard, cancellation))
            {
                var live = Peers(_folder, _runId).Live;
                conflicts = [.. cells.SelectMany(c => Conflicts(live, c.Stage, c.Partitions))];
                if (conflicts.Count == 0)
                {
                    foreach (var (stage, partitions) in cells)
                    {
                        var held = _held.TryGetValue(stage, out var list) ? list : _held[stage] = [];
                        held.AddRange(partitions.Select(p => p ?? WholeDataset).Except(held, StringComparer.Ordinal));
                    }

                    Write();
                    return null;
                }
            }

            if (!wait)
            {
                return conflicts;
            }

            if (!announced)
            {
                say(conflicts);
                announced = true;
            }

            cancellation.WaitHandle.WaitOne(Poll);
            cancellation.ThrowIfCancellationRequested();
        }
    }

    /// <summary>
    /// Lets go of every cell. <paramref name="underGuard"/> is called first, with whether another run is still alive,
    /// while no run can register: the place to mark the workspace as no longer run in when this was the last run.
    /// </summary>
    public void Release(Action<bool> underGuard)
    {
        if (_released)
        {
            return;
        }

        try
        {
            using (ShortLock.Take(_guard, CancellationToken.None))
            {
                File.Delete(Path.Combine(_folder, _runId + ".claim"));
                File.Delete(Path.Combine(_folder, _runId + ".lock"));
                underGuard(Peers(_folder, _runId).Live.Count > 0);
            }
        }
        finally
        {
            _released = true;
            _alive.Dispose();
        }
    }

    /// <summary>Lets go without asking who else is alive (a run that could not begin); the OS would do it at the process's end.</summary>
    public void Dispose()
    {
        if (!_released)
        {
            Release(_ => { });
        }
    }

    /// <summary>The live runs' claims and the ids of the dead ones, this run's own left out; read under the guard.</summary>
    private static (List<RunClaim> Live, List<string> Dead) Peers(string folder, string self)
    {
        var live = new List<RunClaim>();
        var dead = new List<string>();
        var runs = Directory.EnumerateFiles(folder, "*.lock").Concat(Directory.EnumerateFiles(folder, "*.claim"))
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Where(r => r != self && !AtomicFile.IsTempFileName(r))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        foreach (var run in runs)
        {
            if (ShortLock.Held(Path.Combine(folder, run + ".lock")))
            {
                live.Add(Read(Path.Combine(folder, run + ".claim"), run));
            }
            else
            {
                dead.Add(run);
            }
        }

        return (live, dead);
    }

    private static RunClaim Read(string path, string run)
    {
        string? problem;
        try
        {
            if (JsonNode.Parse(File.ReadAllText(path)) is JsonObject { } json
                && json["holder"] is JsonValue holder && holder.TryGetValue<string>(out var said)
                && json["cells"] is JsonObject stages)
            {
                var cells = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
                foreach (var (stage, partitions) in stages)
                {
                    cells[stage] = partitions is JsonArray list
                        ? list.Select(p => p is JsonValue v && v.TryGetValue<string>(out var key) ? key : WholeDataset).ToHashSet(StringComparer.Ordinal)
                        : [];
                }

                return new RunClaim(run, said, cells);
            }

            problem = "not a claim";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            problem = e.Message;
        }

        // A live run always has a whole claim file (written by rename, under the guard, before it holds any cell); one
        // that cannot be read is taken to hold every cell, so nothing is taken from under it.
        return new RunClaim(run, $"a run whose claims {path} cannot be read ({problem})", null);
    }

    private static IEnumerable<HeldCells> Conflicts(List<RunClaim> live, string stage, IReadOnlyList<string?> partitions)
    {
        foreach (var other in live)
        {
            var held = other.Cells is null
                ? partitions
                : other.Cells.TryGetValue(stage, out var theirs) ? partitions.Where(p => theirs.Contains(p ?? WholeDataset)).ToList() : [];
            if (held.Count > 0)
            {
                yield return new HeldCells(other.RunId, other.Holder, stage, held);
            }
        }
    }

    private void Write()
    {
        var cells = new JsonObject();
        foreach (var (stage, partitions) in _held)
        {
            cells[stage] = new JsonArray([.. partitions.Select(p => (JsonNode?)JsonValue.Create(p))]);
        }

        var json = new JsonObject { ["run_id"] = _runId, ["holder"] = _holder, ["cells"] = cells };
        AtomicFile.WriteAllTextUnflushed(Path.Combine(_folder, _runId + ".claim"), json.ToJsonString() + "\n");
    }
}
