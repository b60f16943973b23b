using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Cairn.Engine.Configuration;

namespace Cairn.Engine.Notifications;

/// <summary>
/// Runs a shell command for each event (<c>/bin/sh -c</c>; <c>cmd /c</c> on Windows) in the pipeline's folder, with the
/// event in <c>CAIRN_*</c> environment variables and the whole payload in <c>CAIRN_EVENT_JSON</c>. Exit code 0 delivers
/// it; another exit code or running out of its share of the budget (the command is then killed) is tried again; exit
/// codes 126 and 127 (not runnable, not found) are reported at once.
/// </summary>
internal sealed class CommandNotifier : LifecycleNotifier
{
    private const int OutputLinesKept = 5;
    private readonly string _workingDirectory;
    private readonly DeliveryPolicy _policy;
    private readonly string _pipelineFile;

    public CommandNotifier(NotifierDefinition definition, NotificationQueue queue, string workingDirectory, TimeProvider time, string pipelineFile)
        : base(definition, queue)
    {
        _workingDirectory = workingDirectory;
        _pipelineFile = pipelineFile;
        _policy = new DeliveryPolicy(definition.Attempts, definition.Budget, time);
    }

    /// <summary>The variables a command sees for an event; those that do not apply are unset rather than empty.</summary>
    public static IReadOnlyDictionary<string, string?> Variables(NotificationEvent notification) => new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["CAIRN_EVENT"] = notification.Event,
        ["CAIRN_RUN_ID"] = notification.RunId,
        ["CAIRN_PIPELINE"] = notification.Pipeline,
        ["CAIRN_ENVIRONMENT"] = notification.Environment,
        ["CAIRN_TARGET"] = notification.Target,
        ["CAIRN_STATUS"] = notification.Status,
        ["CAIRN_STAGE"] = notification.Stage,
        ["CAIRN_PARTITION"] = notification.Partition,
        ["CAIRN_CAUSE"] = notification.Cause,
        ["CAIRN_STARTED_AT"] = notification.StartedAt.ToString("O", CultureInfo.InvariantCulture),
        ["CAIRN_FINISHED_AT"] = notification.FinishedAt?.ToString("O", CultureInfo.InvariantCulture),
        ["CAIRN_REVIEW"] = notification.Review,
        ["CAIRN_BREACHES"] = notification.Breaches is null ? null : string.Join("\n", notification.Breaches),
        ["CAIRN_TRIGGER"] = notification.Trigger,
        ["CAIRN_ATTEMPTS"] = notification.Attempts?.ToString(CultureInfo.InvariantCulture),
        ["CAIRN_EVENT_JSON"] = JsonSerializer.Serialize(notification, NotificationJsonContext.Default.NotificationEvent),
    };

    protected override void Deliver(NotificationEvent notification)
    {
        var variables = Variables(notification);
        var failure = _policy.Deliver(timeout => RunOnce(variables, timeout));
        if (failure is not null)
        {
            throw new NotificationFailedException(
                $"{notification.Event}: the notify command ({Definition.Source}) did not succeed: {failure}. The run is not affected; fix the command under notify: in {_pipelineFile}.");
        }
    }

    private AttemptOutcome RunOnce(IReadOnlyDictionary<string, string?> variables, TimeSpan timeout)
    {
        var start = OperatingSystem.IsWindows()
            ? new ProcessStartInfo("cmd.exe") { ArgumentList = { "/c", Definition.Target } }
            : new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", Definition.Target } };
        start.WorkingDirectory = _workingDirectory;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        foreach (var (name, value) in variables)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var tail = new Queue<string>();
        void Keep(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (tail)
            {
                tail.Enqueue(line);
                if (tail.Count > OutputLinesKept)
                {
                    tail.Dequeue();
                }
            }
        }

        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return AttemptOutcome.Permanent($"the shell could not be started: {e.Message}");
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return AttemptOutcome.Transient(string.Create(CultureInfo.InvariantCulture, $"still running after {timeout.TotalSeconds:0.0#} s, killed"));
        }

        process.WaitForExit();
        if (process.ExitCode == 0)
        {
            return AttemptOutcome.Success;
        }

        string said;
        lock (tail)
        {
            said = tail.Count == 0 ? string.Empty : ": " + string.Join(" | ", tail);
        }

        var detail = string.Create(CultureInfo.InvariantCulture, $"exit code {process.ExitCode}{said}");
        return process.ExitCode is 126 or 127 ? AttemptOutcome.Permanent(detail) : AttemptOutcome.Transient(detail);
    }
}
