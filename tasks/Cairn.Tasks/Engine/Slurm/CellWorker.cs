using System.Net;
using System.Reflection;
using System.Text.Json;
using Cairn.Engine.Hosting;
using Cairn.Engine.Model;
using Cairn.Engine.Workspace;

namespace Cairn.Engine.Slurm;

/// <summary>
/// The worker side of a Slurm job array: runs the cells of one array task, each exactly as a local attempt runs it
/// (<see cref="StageHost"/>), into the coordinator's staging, and writes each cell's result beside its log. It writes
/// no checkpoint, no run log and no final output: only the coordinator writes the workspace's state. A cell whose result
/// is missing (the task was killed, the node failed) is a failed attempt to the coordinator.
/// </summary>
internal static class CellWorker
{
    /// <returns>0 when every cell of the task ran (whatever each one's outcome), 2 when the manifest cannot be used.</returns>
    public static int Run(string manifestPath, int taskIndex, TextWriter output, CancellationToken cancellation)
    {
        WorkerManifest manifest;
        StageDescriptor descriptor;
        try
        {
            manifest = JsonSerializer.Deserialize(File.ReadAllText(manifestPath), SlurmJsonContext.Default.WorkerManifest)
                ?? throw new InvalidDataException("the manifest is empty");
            if (taskIndex < 0 || taskIndex >= manifest.Tasks.Count)
            {
                throw new InvalidDataException($"array task {taskIndex} is not in it (it has tasks 0-{manifest.Tasks.Count - 1})");
            }

            var assembly = string.Equals(Path.GetFileNameWithoutExtension(manifest.AssemblyPath), typeof(CellWorker).Assembly.GetName().Name, StringComparison.Ordinal)
                ? typeof(CellWorker).Assembly
                : Assembly.LoadFrom(manifest.AssemblyPath);
            var type = assembly.GetType(manifest.TaskType, throwOnError: true)!;
            descriptor = StageDescriptor.Describe(type);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidDataException or TypeLoadException or BadImageFormatException)
        {
            output.WriteLine($"Cairn worker: cannot use {manifestPath}: {e.Message}. Is the workspace on storage this node sees, and the repository (its .build/) too?");
            return 2;
        }

        var timeout = manifest.TimeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        var node = Dns.GetHostName();
        foreach (var cell in manifest.Tasks[taskIndex])
        {
            if (cancellation.IsCancellationRequested)
            {
                break;
            }

            output.WriteLine($"{cell.Label}: running on {node}");
            var console = new StringWriter();
            StageOutcome outcome;
            using (var engine = new StageBuildEngine(cell.LogPath, new RunConsole(console, null), cell.Label))
            {
                outcome = StageHost.Run(descriptor, cell.Inputs, cell.Outputs, WorkerParameters.FromText(descriptor, cell.Parameters), engine, timeout, cancellation);
            }

            var lines = console.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
            var result = new WorkerResult(outcome.Succeeded, outcome.Failure, outcome.TimedOut, outcome.Cancelled, outcome.ErrorCodes, outcome.Errors, outcome.Metrics, lines, node);
            AtomicFile.WriteAllText(cell.ResultPath, JsonSerializer.Serialize(result, SlurmJsonContext.Default.WorkerResult));
            output.WriteLine($"{cell.Label}: {(outcome.Succeeded ? "succeeded" : "failed: " + outcome.Failure)}");
        }

        return 0;
    }
}
