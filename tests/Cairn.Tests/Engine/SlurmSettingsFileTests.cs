namespace Cairn.Tests.Engine;

/// <summary>
/// The Slurm executor's settings in the pipeline file (<c>executor:</c> and the <c>slurm:</c> block), each overridden by
/// its argument, and checked as the arguments are: a bad value is a usage error naming the file, the line and the key.
/// No cluster is needed: every case here ends before a job is submitted, or runs locally.
/// </summary>
public sealed class SlurmSettingsFileTests
{
    [Fact]
    public void Bad_values_in_the_slurm_block_are_refused_naming_the_file_line_and_key()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");
        h.SetPipeline(PipelineYaml.TwoStages().Then("executor: slurm\nslurm:\n  cells_per_task: 0\n  pending_limit: soon\n  partition: two words\n  flags: --array=1-3\n"));
        var file = h.Env.PathOf("pipeline/pipeline.yaml");

        var run = h.Run();

        run.UsageError.ShouldBeTrue();
        var lines = run.Failure!.Message.Split(Environment.NewLine);
        lines.ShouldContain(l => l.EndsWith(": slurm.cells_per_task=0: give a whole number of cells per array task, from 1 to 100000 (default 64).", StringComparison.Ordinal) && l.StartsWith(file + ":", StringComparison.Ordinal));
        lines.ShouldContain(l => l.EndsWith(": slurm.pending_limit=soon: give a duration from 1s to 49 days, such as 90s, 30m or 2h (default 10m).", StringComparison.Ordinal));
        lines.ShouldContain(l => l.EndsWith(": slurm.partition=two words: give one value without spaces; more sbatch options go in slurm.flags.", StringComparison.Ordinal));
        lines.ShouldContain(l => l.EndsWith(": slurm.flags: --array=1-3 is Cairn's own to set (it sets the array, output and wait); leave it out.", StringComparison.Ordinal));
        Directory.Exists(h.WorkspaceFile("checkpoints")).ShouldBeFalse();
    }

    [Fact]
    public void An_argument_overrides_its_key_in_the_pipeline_file()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");
        h.SetPipeline(PipelineYaml.TwoStages().Then("executor: slurm\nslurm:\n  cells_per_task: 0\n  time: \"30:00\"\n"));

        var overridden = h.Run("--slurm-cells-per-task=0x");
        var local = h.Run("--executor=local");

        overridden.UsageError.ShouldBeTrue();
        overridden.Failure!.Message.ShouldContain("--slurm-cells-per-task=0x: give a whole number of cells per array task");
        overridden.Failure.Message.ShouldNotContain("slurm.cells_per_task");
        // --executor=local wins over the file's executor: slurm, whose slurm: block then waits unused.
        local.ShouldSucceed();
        local.Lines.ShouldContain(l => l.StartsWith("Upper: ran 1 cell in ", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_executor_or_slurm_key_in_the_pipeline_file_is_refused()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");
        h.SetPipeline(PipelineYaml.TwoStages().Then("executor: kubernetes\nslurm:\n  queue: batch\n"));

        var run = h.Run();

        run.UsageError.ShouldBeTrue();
        run.Failure!.Message.ShouldContain("executor 'kubernetes' is not one Cairn knows; use local (the default) or slurm.");
        run.Failure.Message.ShouldContain("slurm has an unknown key 'queue'; slurm knows partition, account, time, mem, flags, cells_per_task, pending_limit.");
    }
}
