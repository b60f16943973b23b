using System.Globalization;
using System.Text;
using Cairn.Engine.Partitions;

namespace Cairn.Engine.Exporting;

/// <summary>
/// An Airflow DAG file (<c>airflow.DAG</c>, one <c>BashOperator</c> per task, <c>a &gt;&gt; b</c> per edge), scheduled
/// at the pipeline's grain: each DAG run covers one data interval, one partition, given to every stage as
/// <c>--from</c>/<c>--to</c> through Airflow's Jinja templates.
/// </summary>
internal static class AirflowDag
{
    /// <summary>The templates for the range's ends: the data interval's partition key, at the grain.</summary>
    public static (string From, string To) Range(PartitionGrain grain)
    {
        var key = grain switch
        {
            PartitionGrain.Hour => "{{ data_interval_start.strftime('%Y-%m-%dT%H') }}",
            PartitionGrain.Month => "{{ data_interval_start.strftime('%Y-%m') }}",
            _ => "{{ ds }}",
        };
        return (key, key);
    }

    public static string Write(ExportedDag dag)
    {
        var schedule = dag.Scheme.Grain switch
        {
            PartitionGrain.Hour => "\"@hourly\"",
            PartitionGrain.Day => "\"@daily\"",
            PartitionGrain.Month => "\"@monthly\"",
            _ => "None",
        };
        var start = dag.FirstPartition ?? new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var text = new StringBuilder();
        text.Append(dag.Heading(OrchestratorExport.Airflow));
        text.Append("# Each task runs one Cairn target alone (--exclusive) for ").Append(OrchestratorExport.Interval(dag.Scheme)).Append(", the DAG run's data\n");
        text.Append("# interval; whole-dataset stages run once after the partitioned ones and read their reads: window, as a backfill\n");
        text.Append("# does. The worker needs the repository (build.sh, .NET) and the workspace; CAIRN_REPOSITORY names the repository.\n");
        text.Append("import datetime\n");
        text.Append("import os\n\n");
        text.Append("from airflow import DAG\n");
        text.Append("from airflow.operators.bash import BashOperator\n\n");
        text.Append("REPOSITORY = os.environ.get(\"CAIRN_REPOSITORY\", ").Append(Shell.DoubleQuoted(dag.Repository)).Append(")\n\n");
        text.Append("with DAG(\n");
        text.Append("    dag_id=").Append(Shell.DoubleQuoted("cairn_" + dag.Pipeline)).Append(",\n");
        text.Append("    description=").Append(Shell.DoubleQuoted($"Cairn pipeline {dag.Pipeline} ({dag.PipelineFile})")).Append(",\n");
        text.Append("    schedule=").Append(schedule).Append(",\n");
        text.Append("    start_date=datetime.datetime(").Append(string.Create(CultureInfo.InvariantCulture, $"{start.Year}, {start.Month}, {start.Day}, {start.Hour}")).Append(", tzinfo=datetime.timezone.utc),\n");
        text.Append("    catchup=False,\n");
        // One DAG run at a time: the runs share the workspace, which Cairn lets one run hold at a time anyway.
        text.Append("    max_active_runs=1,\n");
        text.Append("    tags=[\"cairn\"],\n");
        text.Append(") as dag:\n");
        foreach (var task in dag.Tasks)
        {
            text.Append("    ").Append(Variable(task.Name)).Append(" = BashOperator(\n");
            text.Append("        task_id=").Append(Shell.DoubleQuoted(task.Name)).Append(",\n");
            text.Append("        bash_command=").Append(Shell.DoubleQuoted(task.Command)).Append(",\n");
            text.Append("        cwd=REPOSITORY,\n");
            text.Append("    )\n");
        }

        var edges = dag.Edges.ToList();
        if (edges.Count > 0)
        {
            text.Append('\n');
        }

        foreach (var (from, to) in edges)
        {
            text.Append("    ").Append(Variable(from)).Append(" >> ").Append(Variable(to)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>A Python name for the task: its name in snake_case, other characters as <c>_</c>.</summary>
    private static string Variable(string name)
    {
        var text = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1]))))
            {
                text.Append('_');
            }

            text.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_');
        }

        return char.IsAsciiDigit(text[0]) ? "task_" + text : text + "_task";
    }
}
