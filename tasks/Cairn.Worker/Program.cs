using System.Globalization;
using System.Runtime.InteropServices;
using Cairn.Engine.Slurm;

// Slurm's scancel (and a time limit) sends SIGTERM first: the running cell is asked to stop, no further cell starts.
using var cancellation = new CancellationTokenSource();
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    cancellation.Cancel();
});

if (args.Length != 2 || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var task))
{
    await Console.Error.WriteLineAsync("usage: dotnet Cairn.Worker.dll MANIFEST TASK_INDEX (Cairn's Slurm jobs run it; SLURM_ARRAY_TASK_ID is the index)").ConfigureAwait(false);
    return 2;
}

return CellWorker.Run(args[0], task, Console.Out, cancellation.Token);
