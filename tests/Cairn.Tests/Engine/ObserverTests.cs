namespace Cairn.Tests.Engine;

public sealed class ObserverTests
{
    [Fact]
    public void Observers_hear_the_run_stage_by_stage_and_cell_by_cell()
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02");
        var observer = new RecordingObserver();
        h.Observers.Add(observer);

        h.Run("--parallelism=1").ShouldSucceed();

        observer.Events.ShouldBe(
        [
            "run started 2",
            "decided Upper run 2 skip 0",
            "cell Upper 2013-05-01 ok",
            "cell Upper 2013-05-02 ok",
            "stage Upper ran 2 failed 0",
            "decided Concat run 1 skip 0",
            "cell Concat - ok",
            "stage Concat ran 1 failed 0",
            "run succeeded",
        ]);
    }

    [Fact]
    public void An_observer_that_throws_is_a_warning_and_the_run_still_succeeds()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");
        h.Observers.Add(new RecordingObserver(throwEverywhere: true));

        var run = h.Run().ShouldSucceed();

        run.Output.ShouldContain("warning: RecordingObserver failed: observer broke");
        File.Exists(h.WorkspaceFile("data/all.txt")).ShouldBeTrue();
    }
}
