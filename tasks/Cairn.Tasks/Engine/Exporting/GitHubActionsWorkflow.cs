using System.Text;

namespace Cairn.Engine.Exporting;

/// <summary>
/// A GitHub Actions workflow: started by hand (<c>workflow_dispatch</c>) with the range as its inputs, one job per task,
/// <c>needs:</c> its upstream tasks. Every job runs in the same repository and workspace on a self-hosted runner
/// (labels <c>self-hosted</c>, <c>cairn</c>), because each job reads what the jobs before it wrote.
/// </summary>
internal static class GitHubActionsWorkflow
{
    public static string Write(ExportedDag dag)
    {
        var text = new StringBuilder();
        text.Append(dag.Heading(OrchestratorExport.GitHubActions));
        text.Append("# Each job runs one Cairn target alone (--exclusive) over the range given when the workflow is started.\n");
        text.Append("# The jobs share one repository and one workspace: run them on a self-hosted runner labelled 'cairn' whose\n");
        text.Append("# repository (the variable CAIRN_REPOSITORY, else the path below) holds build.sh and the workspace. No job checks\n");
        text.Append("# the repository out (a checkout would clean the git-ignored workspace away).\n");
        text.Append("name: ").Append(Shell.DoubleQuoted($"Cairn {dag.Pipeline}")).Append('\n');
        text.Append("on:\n");
        text.Append("  workflow_dispatch:\n");
        if (dag.Scheme.IsPartitioned)
        {
            text.Append("    inputs:\n");
            Input(text, "from", $"First {dag.Scheme.Unit} of the range, {dag.Scheme.Pattern}");
            Input(text, "to", $"Last {dag.Scheme.Unit} of the range (inclusive), {dag.Scheme.Pattern}");
        }

        // One run at a time: the jobs of two runs would share the workspace.
        text.Append("concurrency:\n");
        text.Append("  group: ").Append(Shell.DoubleQuoted("cairn-" + dag.Pipeline)).Append('\n');
        text.Append("  cancel-in-progress: false\n");
        if (dag.Scheme.IsPartitioned)
        {
            // The inputs reach the commands through the environment, never pasted into the script.
            text.Append("env:\n");
            text.Append("  CAIRN_FROM: ${{ inputs.from }}\n");
            text.Append("  CAIRN_TO: ${{ inputs.to }}\n");
        }

        text.Append("jobs:\n");
        foreach (var task in dag.Tasks)
        {
            text.Append("  ").Append(JobId(task.Name)).Append(":\n");
            text.Append("    name: ").Append(Shell.DoubleQuoted(task.Name)).Append('\n');
            if (task.Upstream.Count > 0)
            {
                text.Append("    needs: [").Append(string.Join(", ", task.Upstream.Select(JobId))).Append("]\n");
            }

            text.Append("    runs-on: [self-hosted, cairn]\n");
            text.Append("    steps:\n");
            text.Append("      - name: ").Append(Shell.DoubleQuoted(task.Name)).Append('\n');
            text.Append("        working-directory: ").Append(Shell.DoubleQuoted($"${{{{ vars.CAIRN_REPOSITORY || '{dag.Repository.Replace("'", "''", StringComparison.Ordinal)}' }}}}")).Append('\n');
            text.Append("        run: |\n");
            text.Append("          ").Append(task.Command).Append('\n');
        }

        return text.ToString();
    }

    private static void Input(StringBuilder text, string name, string description)
    {
        text.Append("      ").Append(name).Append(":\n");
        text.Append("        description: ").Append(Shell.DoubleQuoted(description)).Append('\n');
        text.Append("        required: true\n");
        text.Append("        type: string\n");
    }

    /// <summary>A job id GitHub accepts: letters, digits, <c>-</c> and <c>_</c>, starting with a letter or <c>_</c>.</summary>
    private static string JobId(string name)
    {
        var id = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
        return char.IsAsciiLetter(id[0]) || id[0] == '_' ? id : "_" + id;
    }
}
