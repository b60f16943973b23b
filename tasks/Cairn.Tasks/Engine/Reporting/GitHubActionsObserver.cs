using Cairn.Engine.Observing;
using Cairn.Engine.Runs;
using Cairn.Engine.Scan;

namespace Cairn.Engine.Reporting;

/// <summary>
/// On GitHub Actions (<c>GITHUB_ACTIONS=true</c>): folds each stage's output into a <c>::group::</c>, turns a failed
/// cell into an <c>::error</c> annotation naming the stage and partition (a cell held for approval of schema drift into
/// a <c>::warning</c>: it did not fail, it waits for a person), and appends a Markdown summary of the run to
/// the file named by <c>GITHUB_STEP_SUMMARY</c>.
/// </summary>
internal sealed class GitHubActionsObserver : IRunObserver
{
    private readonly TextWriter _output;
    private readonly string? _summaryPath;
    private readonly RunRecord _record;
    private bool _inGroup;
    private bool _errorWritten;

    public GitHubActionsObserver(TextWriter output, string? summaryPath, RunRecord record)
    {
        _output = output;
        _summaryPath = string.IsNullOrWhiteSpace(summaryPath) ? null : summaryPath;
        _record = record;
    }

    public void OnRunStarted(RunStarted run) => _record.Started = run;

    public void OnStageStarted(string runId, string stage)
    {
        EndGroup();
        _record.StagesStarted.Add(stage);
        Write(WorkflowCommands.Group(stage));
        _inGroup = true;
    }

    public void OnStageDecided(string runId, string stage, IReadOnlyList<CellDecision> decisions) =>
        _record.Running[stage] = decisions.Where(d => d.Decision.Run).ToList();

    public void OnCellFinished(CellFinished cell)
    {
        if (!cell.Succeeded)
        {
            _record.FailedCells.Add(cell);
        }
    }

    public void OnStageFinished(string runId, StageResult result)
    {
        EndGroup();
        // After the group closes, so a collapsed group does not hide it.
        foreach (var cell in _record.FailedCells.Where(c => c.Stage == result.Stage))
        {
            var what = cell.Held ? "awaits approval" : "failed";
            var title = cell.Partition is null ? $"Stage {cell.Stage} {what}" : $"Stage {cell.Stage} {what} for {_record.PartitionKey}={cell.Partition}";
            var message = StepSummary.FailureMessage(cell, _record.PartitionKey);
            Write(cell.Held ? WorkflowCommands.Warning(title, message) : WorkflowCommands.Error(title, message));
            _errorWritten = true;
        }
    }

    public void OnRunFinished(RunFinished run)
    {
        EndGroup();
        _record.Finished = run;
        if (run.Failure is not null && !_errorWritten)
        {
            Write(run.Status == "held" ? WorkflowCommands.Warning("Cairn run awaits approval", run.Failure) : WorkflowCommands.Error($"Cairn run {run.Status}", run.Failure));
        }

        if (_summaryPath is not null)
        {
            File.AppendAllText(_summaryPath, StepSummary.Render(_record));
        }
    }

    private void EndGroup()
    {
        if (_inGroup)
        {
            Write(WorkflowCommands.EndGroup);
            _inGroup = false;
        }
    }

    private void Write(string line)
    {
        lock (_output)
        {
            _output.WriteLine(line);
            _output.Flush();
        }
    }
}
