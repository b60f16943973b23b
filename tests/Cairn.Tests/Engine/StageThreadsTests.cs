using System.Globalization;
using Cairn.Engine.Hosting;

namespace Cairn.Tests.Engine;

public sealed class StageThreadsTests
{
    [Fact]
    public async Task One_task_after_another_runs_on_the_same_thread_not_a_new_one_per_task()
    {
        var threads = new StageThreads();
        var ids = new List<int>();

        for (var i = 0; i < 20; i++)
        {
            (await threads.Start(() =>
            {
                ids.Add(Environment.CurrentManagedThreadId);
                return true;
            })).ShouldBeTrue();
        }

        ids.Distinct().Count().ShouldBe(1);
    }

    [Fact]
    public async Task A_task_that_never_ends_does_not_hold_up_the_next_one()
    {
        var threads = new StageThreads();
        using var release = new ManualResetEventSlim();
        var stuck = threads.Start(() => release.Wait(TimeSpan.FromMinutes(1)));

        var next = threads.Start(() => true);

        (await next.WaitAsync(TimeSpan.FromSeconds(30))).ShouldBeTrue("another thread serves the next task");
        stuck.IsCompleted.ShouldBeFalse();
        release.Set();
        (await stuck).ShouldBeTrue();
    }

    [Fact]
    public async Task A_task_that_throws_hands_its_exception_to_the_caller_and_the_thread_serves_the_next_task()
    {
        var threads = new StageThreads();

        var failed = threads.Start(() => throw new InvalidDataException("bad row"));

        (await Should.ThrowAsync<InvalidDataException>(failed)).Message.ShouldBe("bad row");
        (await threads.Start(() => true)).ShouldBeTrue();
    }

    [Fact]
    public async Task A_task_that_changes_its_threads_culture_does_not_pass_it_on_to_the_next_task()
    {
        var threads = new StageThreads();
        string? before = null;
        string? after = null;

        await threads.Start(() =>
        {
            before = CultureInfo.CurrentCulture.NumberFormat.NumberDecimalSeparator;
            var changed = (CultureInfo)CultureInfo.CurrentCulture.Clone();
            changed.NumberFormat.NumberDecimalSeparator = before + "~";
            CultureInfo.CurrentCulture = changed;
            return true;
        });
        await threads.Start(() =>
        {
            after = CultureInfo.CurrentCulture.NumberFormat.NumberDecimalSeparator;
            return true;
        });

        after.ShouldBe(before);
    }
}
