using Cairn.Engine.Exporting;
using Cairn.Engine.Workspace;

namespace Cairn;

/// <summary>Export: the pipeline's DAG for another orchestrator.</summary>
public sealed partial class CairnSession
{
    /// <summary>The target that writes the DAG for another orchestrator.</summary>
    public const string ExportTarget = "Export";

    /// <summary>
    /// Writes the pipeline's DAG for the orchestrator <c>--format</c> names (<c>airflow</c>: a Python DAG file;
    /// <c>github-actions</c>: a workflow), each task one target run alone over one partition range, to <c>--output</c>
    /// (default: <c>exports/</c> in the workspace; <c>-</c> for stdout). A file there that Export did not write is left alone.
    /// </summary>
    /// <exception cref="CairnUsageException">The output file exists and Export did not write it.</exception>
    public void Export()
    {
        var format = _inspection.ExportFormat!;
        var (text, dag) = OrchestratorExport.Write(format, _plan, _plan.TargetGraph, _repositoryRoot, _options);
        if (_inspection.Output == "-")
        {
            _console.Document.Write(text);
            _console.Document.Flush();
            return;
        }

        var path = _inspection.Output is { } output
            ? Path.GetFullPath(output, _callerDirectory)
            : OrchestratorExport.DefaultOutput(format, _options.WorkspaceDirectory, _plan.Definition.Name);
        if (Directory.Exists(path))
        {
            throw new CairnUsageException($"--output={_inspection.Output}: {Shown(path)} is a folder; give a file, e.g. --output={Path.Combine(_inspection.Output ?? string.Empty, Path.GetFileName(OrchestratorExport.DefaultOutput(format, "", _plan.Definition.Name)))}.");
        }

        if (File.Exists(path) && !ExportedDag.WroteIt(path))
        {
            throw new CairnUsageException($"--output: {Shown(path)} exists and Export did not write it (its first line is not \"{ExportedDag.Header} …\"), so it is left as it is; move it away or give another --output.");
        }

        var changed = AtomicFile.WriteAllTextIfChanged(path, text);
        var edges = dag.Edges.Count();
        _output.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Export: {(changed ? "wrote" : "left as it was (unchanged)")} {Shown(path)}: {format}, {dag.Tasks.Count:N0} tasks, {edges:N0} dependencies, each task one target over {OrchestratorExport.Interval(dag.Scheme)}"));
        _output.WriteLine(format == OrchestratorExport.Airflow
            ? "Copy it into Airflow's dags folder; its tasks run ./build.sh in CAIRN_REPOSITORY on the worker (default: this repository's path)."
            : "Copy it into .github/workflows/; its jobs run on a self-hosted runner labelled 'cairn', in the variable CAIRN_REPOSITORY (default: this repository's path).");
        _output.Flush();
    }
}
