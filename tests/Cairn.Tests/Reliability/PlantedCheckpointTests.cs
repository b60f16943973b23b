using System.Text.Json.Nodes;
using Cairn.Tests.Engine;
using Cairn.Tests.Observability;

namespace Cairn.Tests.Reliability;

/// <summary>
/// Issue 10, items 1 and 6: a checkpoint comes from elsewhere (a restored CI cache), so one that names a path outside
/// the workspace, or lacks a field, is refused as unreadable with a warning naming it, its cell re-runs, and nothing
/// outside the workspace is ever deleted. Files are planted outside and checked to survive.
/// </summary>
public sealed class PlantedCheckpointTests : IDisposable
{
    private const string Day = "2013-05-01";
    private readonly EngineHarness _h = EngineHarness.TwoStages(Day, "2013-05-02");

    public PlantedCheckpointTests() => _h.Run().ShouldSucceed();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void A_checkpoint_naming_a_file_above_the_workspace_or_an_absolute_folder_is_refused_and_they_are_not_deleted()
    {
        var precious = _h.Env.WriteFile("outside/precious.txt", "keep me\n");
        var folder = _h.Env.WriteFile("outside-folder/inner/keep.txt", "keep me too\n");
        PlantOutputs(
            ("Output", "../outside/precious.txt", "0123456789abcdef0123456789abcdef"),
            ("Output", _h.Env.PathOf("outside-folder") + "/", "directory"));

        var run = _h.Run().ShouldSucceed();

        File.ReadAllText(precious).ShouldBe("keep me\n");
        File.ReadAllText(folder).ShouldBe("keep me too\n");
        run.Lines.ShouldContain($"warning: checkpoint unreadable, treated as stale: {UpperCheckpoint} is not a checkpoint Cairn can use: its outputs name ../outside/precious.txt, which has an empty, '.' or '..' part");
        run.Output.ShouldContain($"Upper date={Day}: run, checkpoint unreadable");
    }

    [Fact]
    public void A_checkpoint_naming_an_absolute_path_is_refused()
    {
        var folder = _h.Env.WriteFile("outside-folder/keep.txt", "keep me\n");
        PlantOutputs(("Output", _h.Env.PathOf("outside-folder") + "/", "directory"));

        var run = _h.Run().ShouldSucceed();

        File.Exists(folder).ShouldBeTrue();
        run.Output.ShouldContain($"{UpperCheckpoint} is not a checkpoint Cairn can use: its outputs name {_h.Env.PathOf("outside-folder")}/, an absolute path");
    }

    [Fact]
    public void A_checkpoint_naming_a_path_through_a_link_out_of_the_workspace_is_refused_and_nothing_behind_the_link_is_deleted()
    {
        var precious = _h.Env.WriteFile("outside/precious.txt", "keep me\n");
        Directory.CreateSymbolicLink(_h.WorkspaceFile("data/elsewhere"), _h.Env.PathOf("outside"));
        PlantOutputs(("Output", "data/elsewhere/precious.txt", "0123456789abcdef0123456789abcdef"));

        var run = _h.Run().ShouldSucceed();

        File.ReadAllText(precious).ShouldBe("keep me\n");
        run.Output.ShouldContain($"{UpperCheckpoint} is not a checkpoint Cairn can use: its output data/elsewhere/precious.txt lies outside the workspace: {_h.WorkspaceFile("data/elsewhere/precious.txt")} is {_h.Env.PathOf("outside/precious.txt")} once symbolic links are followed, outside the workspace {_h.Workspace}");
    }

    // Issue 16: a no-op proves an output is no link by the stat it compares with the stat cache, taken without
    // following one. A link put where the output was, to a file outside holding the very same bytes (so its hash still
    // matches), must still make the checkpoint unreadable, for Status as for a run, and nothing outside is touched.
    [Fact]
    public void An_output_file_replaced_by_a_link_out_of_the_workspace_to_the_same_bytes_is_refused_by_status_and_run()
    {
        var output = _h.WorkspaceFile($"data/upper/date={Day}/upper.txt");
        var bytes = File.ReadAllText(output);
        var precious = _h.Env.WriteFile("outside/upper.txt", bytes);
        File.Delete(output);
        File.CreateSymbolicLink(output, precious);

        var run = ShouldBeRefusedByStatusAndRun(output, precious);

        run.Output.ShouldContain($"Upper date={Day}: run, checkpoint unreadable");
        File.ReadAllText(precious).ShouldBe(bytes);
    }

    [Fact]
    public void An_output_partition_folder_replaced_by_a_link_out_of_the_workspace_to_the_same_files_is_refused_by_status_and_run()
    {
        var folder = _h.WorkspaceFile($"data/upper/date={Day}");
        var outside = _h.Env.PathOf($"outside/date={Day}");
        Directory.CreateDirectory(outside);
        File.Copy(Path.Combine(folder, "upper.txt"), Path.Combine(outside, "upper.txt"));
        Directory.Delete(folder, recursive: true);
        Directory.CreateSymbolicLink(folder, outside);

        ShouldBeRefusedByStatusAndRun($"{folder}/upper.txt", $"{outside}/upper.txt");

        File.Exists(Path.Combine(outside, "upper.txt")).ShouldBeTrue();
    }

    [Fact]
    public void An_output_file_replaced_by_a_link_inside_the_workspace_to_the_same_bytes_is_still_up_to_date()
    {
        var output = _h.WorkspaceFile($"data/upper/date={Day}/upper.txt");
        var inside = _h.WorkspaceFile("data/kept/upper.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(inside)!);
        File.Move(output, inside);
        File.CreateSymbolicLink(output, inside);

        var run = _h.Run().ShouldSucceed();

        run.Output.ShouldNotContain("checkpoint unreadable");
        run.Output.ShouldContain("Upper: skipped, all 2 cells up to date");
    }

    [Fact]
    public void A_checkpoint_naming_cairns_own_state_is_refused_and_the_run_history_is_kept()
    {
        PlantOutputs(("Output", ".cairn/", "directory"), ("Output", "checkpoints/Concat.ok", "0123456789abcdef0123456789abcdef"));

        var run = _h.Run().ShouldSucceed();

        File.Exists(_h.WorkspaceFile(".cairn/runs.db")).ShouldBeTrue();
        File.Exists(_h.Checkpoint("Concat")).ShouldBeTrue();
        run.Output.ShouldContain("its outputs name .cairn/, which lies in .cairn/, Cairn's own state");
    }

    [Fact]
    public void An_output_folder_that_links_out_of_the_workspace_fails_its_cells_naming_them_and_nothing_there_is_written_or_deleted()
    {
        var precious = _h.Env.WriteFile($"outside/date={Day}/upper.txt", "keep me\n");
        Directory.Delete(_h.WorkspaceFile("data/upper"), recursive: true);
        Directory.CreateSymbolicLink(_h.WorkspaceFile("data/upper"), _h.Env.PathOf("outside"));

        var run = _h.Run("--force=Upper");

        File.ReadAllText(precious).ShouldBe("keep me\n");
        Directory.EnumerateFiles(_h.Env.PathOf("outside"), "*", SearchOption.AllDirectories).ShouldBe([precious]);
        run.ExitCode.ShouldBe(1);
        run.Failure!.Message.ShouldBe($"Stage 'Upper' failed for date={Day}: Cairn writes and deletes only inside the workspace, and data/upper/date={Day}/upper.txt is not there: {_h.WorkspaceFile($"data/upper/date={Day}/upper.txt")} is {precious} once symbolic links are followed, outside the workspace {_h.Workspace} (log: logs/date={Day}/Upper.log)");
        run.Output.ShouldMatch(@"\n  Upper +2 cells +0 ran +0 skipped +1 failed ");
        var newest = Inspection.Run(_h, s => s.History(), "--limit=1").Split('\n')[2].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string.Join(' ', newest[(Array.IndexOf(newest, "local") + 1)..]).ShouldStartWith("2 1 0 1 ", Case.Sensitive, "History counts the engine-side failure as a cell that ran and failed (cells, ran, skipped, failed), never Failed 0");
        File.ReadAllText(_h.WorkspaceFile($"logs/date={Day}/Upper.log")).ShouldContain("engine failure: System.IO.IOException: Cairn writes and deletes only inside the workspace");
    }

    [Fact]
    public void An_output_partition_folder_linked_out_of_the_workspace_before_its_cells_first_run_is_refused_and_nothing_is_written_there()
    {
        Directory.Delete(_h.WorkspaceFile("checkpoints"), recursive: true);
        var folder = _h.WorkspaceFile($"data/upper/date={Day}");
        var outside = _h.Env.CreateFolder($"outside/date={Day}");
        Directory.Delete(folder, recursive: true);
        Directory.CreateSymbolicLink(folder, outside);

        var run = _h.Run();

        run.ExitCode.ShouldBe(1);
        run.Failure!.Message.ShouldBe($"Stage 'Upper' failed for date={Day}: Cairn writes and deletes only inside the workspace, and data/upper/date={Day}/upper.txt is not there: {folder}/upper.txt is {outside}/upper.txt once symbolic links are followed, outside the workspace {_h.Workspace} (log: logs/date={Day}/Upper.log)");
        Directory.EnumerateFileSystemEntries(outside).ShouldBeEmpty();
        File.Exists(_h.WorkspaceFile("data/upper/date=2013-05-02/upper.txt")).ShouldBeTrue("the other day's folder is the workspace's, made again");
    }

    [Theory]
    [InlineData("outputs")]
    [InlineData("inputs")]
    [InlineData("parameters")]
    [InlineData("fingerprint")]
    [InlineData("stage")]
    [InlineData("outputs[0].path")]
    [InlineData("inputs[0].path")]
    [InlineData("inputs[0].hash")]
    public void A_checkpoint_with_a_null_field_is_unreadable_naming_the_file_for_runs_status_and_force(string field)
    {
        var checkpoint = JsonNode.Parse(File.ReadAllText(UpperCheckpoint))!.AsObject();
        if (field.Split('[') is [var list, var rest])
        {
            checkpoint[list]![0]![rest.Split('.')[1]] = null;
        }
        else
        {
            checkpoint[field] = null;
        }

        File.WriteAllText(UpperCheckpoint, checkpoint.ToJsonString());

        var status = Inspection.Run(_h, s => s.Status());
        var forced = _h.Run("--force=Upper");
        var again = _h.Run();

        status.ShouldContain($"checkpoint unreadable, treated as stale: {UpperCheckpoint} is ");
        forced.ShouldSucceed().Output.ShouldContain($"Upper date={Day}: run, forced");
        again.ShouldSucceed().Output.ShouldContain("Upper: skipped, all 2 cells up to date");
    }

    [Fact]
    public void A_run_is_not_stopped_by_a_null_field_and_says_which_file()
    {
        var checkpoint = JsonNode.Parse(File.ReadAllText(UpperCheckpoint))!.AsObject();
        checkpoint["outputs"] = null;
        File.WriteAllText(UpperCheckpoint, checkpoint.ToJsonString());

        var run = _h.Run().ShouldSucceed();

        run.Lines.ShouldContain($"warning: checkpoint unreadable, treated as stale: {UpperCheckpoint} is not a checkpoint Cairn can use: outputs is missing or null");
    }

    private string UpperCheckpoint => _h.Checkpoint("Upper", Day);

    /// <summary>Runs Status, then a run, and checks that both refuse Upper's checkpoint for <see cref="Day"/> because its output is <paramref name="real"/> once links are followed.</summary>
    private RunOutcome ShouldBeRefusedByStatusAndRun(string output, string real)
    {
        var refused = $"{UpperCheckpoint} is not a checkpoint Cairn can use: its output data/upper/date={Day}/upper.txt lies outside the workspace: {output} is {real} once symbolic links are followed, outside the workspace {_h.Workspace}";

        var status = Inspection.Run(_h, s => s.Status());
        var run = _h.Run();

        status.ShouldContain(refused);
        run.Output.ShouldContain(refused);
        return run;
    }

    /// <summary>Adds outputs to Upper's checkpoint for <see cref="Day"/>, its fingerprint untouched: a cell that would be skipped but for them.</summary>
    private void PlantOutputs(params (string Property, string Path, string Hash)[] outputs)
    {
        var checkpoint = JsonNode.Parse(File.ReadAllText(UpperCheckpoint))!.AsObject();
        var list = checkpoint["outputs"]!.AsArray();
        foreach (var (property, path, hash) in outputs)
        {
            list.Add(new JsonObject { ["property"] = property, ["path"] = path, ["hash"] = hash });
        }

        File.WriteAllText(UpperCheckpoint, checkpoint.ToJsonString());
    }
}
