namespace Cairn.Tests.Engine;

/// <summary>
/// Issue 11, item 3: named read-only roots (<c>roots: { reference: ../shared-reference }</c>) a stage's inputs may
/// start from, checked once when the pipeline file is read; no path leaves its root.
/// </summary>
public sealed class NamedRootTests
{
    [Fact]
    public void A_stage_reads_a_named_root_and_a_change_there_re_runs_its_cells()
    {
        using var h = Harness("{reference}/lookup.csv", "../shared-reference");
        h.Env.WriteFile("shared-reference/lookup.csv", "lookup\n");

        h.Run().ShouldSucceed();
        h.Env.WriteFile("shared-reference/lookup.csv", "lookup changed\n");
        var run = h.Run().ShouldSucceed();

        File.ReadAllText(h.WorkspaceFile("data/upper/date=2013-05-01/upper.txt")).ShouldBe("ROW OF 2013-05-01!\nLOOKUP CHANGED!\n");
        run.Lines.ShouldContain("Upper date=2013-05-01: run, input changed: $reference/lookup.csv");
        run.Lines.ShouldContain("Upper date=2013-05-02: run, input changed: $reference/lookup.csv");
    }

    [Theory]
    [InlineData("{refrence}/lookup.csv", "../shared-reference", "stage 'Upper' 'Sources: {refrence}/lookup.csv' starts from {refrence}, which is not a root of the pipeline; declare it (roots: { refrence: ../folder }), or start the path with {raw}/ or {pipeline}/.")]
    [InlineData("{reference}/../secret.csv", "../shared-reference", "stage 'Upper' property 'Sources': '{reference}/../secret.csv' must not contain '.' or '..' segments: a path stays inside its root.")]
    [InlineData("{reference}//etc/passwd", "../shared-reference", "stage 'Upper' property 'Sources': '{reference}//etc/passwd' must be relative: to the workspace, or start with {raw}/, {pipeline}/ or a root of roots: (e.g. {reference}/), and not leave it.")]
    [InlineData("{reference}/lookup.csv", "../no-such-folder", "roots.reference: the folder ")]
    public void A_root_not_declared_a_path_leaving_its_root_or_a_root_that_does_not_exist_is_refused(string input, string root, string problem)
    {
        using var h = Harness(input, root);
        h.Env.WriteFile("shared-reference/lookup.csv", "lookup\n");

        var run = h.Run();

        run.UsageError.ShouldBeTrue(run.Output);
        run.Failure!.Message.ShouldContain(problem);
        Directory.Exists(h.Workspace).ShouldBeFalse();
    }

    private static EngineHarness Harness(string input, string root)
    {
        var yaml = new PipelineYaml()
            .Stage("Upper", "UpperCaseStage", s => s.Partitioned().Input("Sources", "{raw}/date={date}/*.csv", input).Output("Output", "data/upper/date={date}/upper.txt").Parameter("Suffix", "!"))
            .Then($"roots:\n  reference: {root}\n");
        var h = new EngineHarness(yaml, ("Upper", []));
        h.WriteRaw("2013-05-01", "row of 2013-05-01\n");
        h.WriteRaw("2013-05-02", "row of 2013-05-02\n");
        return h;
    }
}
