using System.Globalization;
using System.Text;
using Cairn.Engine.Plan;
using Cairn.Engine.Scan;
using Cairn.Tests.Reporting;

namespace Cairn.Tests.Engine;

/// <summary>
/// A cell's binding and fingerprint, pinned: every path, value and canonical parameter, and the digest they make. A
/// workspace built before a change to binding or fingerprinting must still be up to date after it, so these are the
/// values the engine gave before binding was made cheaper, not values worked out again by the code under test.
/// </summary>
public sealed class CellBinderTests
{
    [Fact]
    public void Cells_bind_and_fingerprint_as_they_always_have()
    {
        using var h = Harness();

        var bound = Bind(h, "Copy.Seed=3");

        // Approving a change here would change the fingerprint of every cell of this shape in every workspace: each would
        // run again. Make binding match the file instead.
        Approved.ShouldMatch(bound, "tests/Cairn.Tests/Engine/CellBinder.expected.txt");
    }

    [Fact]
    public void A_stage_that_fans_out_binds_its_folder_and_the_selection_as_it_always_has()
    {
        var yaml = """
            name: test
            assembly: Cairn.Tests
            stages:
              Land:
                task: Cairn.Stages.Common.SplitByPartition
                fans_out: true
                inputs:
                  Sources: "{raw}/*.csv"
                outputs:
                  Output: "landing/date={partition}/part.csv"
                parameters:
                  Column: day
            """;
        using var h = new EngineHarness(yaml, ("Land", []));
        h.Env.WriteFile("raw/b.csv", "day\n");
        h.Env.WriteFile("raw/a.csv", "day\n");

        // Run options are parsed as a pipeline without a stage that fans out has them: from the landing zone's partitions.
        h.WriteRaw("2013-05-01", "day\n");
        var plan = h.Plan();

        var text = new StringBuilder();
        Render(new CellBinder(h.Options(), plan).Bind(plan.Stage("Land"), null), h.Env.Root, text);

        text.ToString().TrimEnd('\n').ShouldBe(
            """
            Land
              input Sources $raw/a.csv <root>/raw/a.csv
              input Sources $raw/b.csv <root>/raw/b.csv
              output Output landing <root>/ws/landing
              value Column=day (String)
              param Column=day
              param {selection}=all
              fingerprint ca116ec30cdb9a4815d03689dd2db4f0
            """,
            StringCompareShould.IgnoreLineEndings);
    }

    [Fact]
    public void A_file_that_appears_in_a_globbed_folder_is_bound_on_the_next_scan()
    {
        using var h = Harness();
        var plan = h.Plan();
        var binder = new CellBinder(h.Options(), plan);
        binder.Bind(plan.Stage("Upper"), "2013-05-02").Inputs.Count.ShouldBe(3);

        h.WriteRaw("2013-05-02", "row\n", "b.csv");

        binder.Bind(plan.Stage("Upper"), "2013-05-02").Inputs.Select(i => i.LogicalPath).ShouldBe(
            ["$raw/date=2013-05-02/b.csv", "$raw/date=2013-05-02/part.csv", "$reference/lookup-2013-05-02.csv", "$pipeline/config/contract.yaml"]);
    }

    [Fact]
    public void A_glob_whose_folder_is_missing_or_a_file_binds_nothing_from_it()
    {
        using var h = Harness();
        var plan = h.Plan();
        var binder = new CellBinder(h.Options(), plan);
        h.Env.WriteFile("raw/date=2013-05-03", "a file where the day's folder would be\n");

        binder.Bind(plan.Stage("Upper"), "2013-05-03").Inputs.Select(i => i.LogicalPath).ShouldBe(
            ["$reference/lookup-2013-05-03.csv", "$pipeline/config/contract.yaml"]);
        binder.Bind(plan.Stage("Upper"), "2013-05-04").Inputs.Select(i => i.LogicalPath).ShouldBe(
            ["$reference/lookup-2013-05-04.csv", "$pipeline/config/contract.yaml"]);
    }

    [Fact]
    public void Parameters_in_any_dictionary_are_fingerprinted_in_ordinal_order()
    {
        // The binder hands Fingerprint a SortedList it reads in place; a cell built elsewhere (a test, a benchmark)
        // may hold any dictionary, which is sorted first: both give the pinned digest, Fingerprint's from before it read in place.
        BoundFile[] inputs = [new BoundFile("Input", "data/in.txt", "/ws/data/in.txt")];
        var sorted = new SortedList<string, string>(StringComparer.Ordinal) { ["b"] = "2", ["B"] = "1", ["a\\n"] = "x\ny" };
        var unsorted = new Dictionary<string, string>(StringComparer.Ordinal) { ["a\\n"] = "x\ny", ["b"] = "2", ["B"] = "1" };
        string Print(IReadOnlyDictionary<string, string> parameters) =>
            Fingerprint.Compute(new CellBinding("Stage", "2013-05-01", inputs, [], new Dictionary<string, object>(), parameters), "Task", "v1", ["0123"]);

        Print(unsorted).ShouldBe(Print(sorted));
        Print(sorted).ShouldBe("36b1b6f74380b9f14257ecbcbc095dd1");
    }

    [Fact]
    public void A_bound_file_takes_the_string_already_held_for_its_full_path_and_binds_as_it_always_has()
    {
        using var h = Harness();
        var plan = h.Plan();
        var options = h.Options();
        var held = new Dictionary<string, string>(StringComparer.Ordinal);
        var lookup = held.GetAlternateLookup<ReadOnlySpan<char>>();
        var plain = new CellBinder(options, plan);
        var known = new CellBinder(options, plan) { KnownPath = path => lookup.TryGetValue(path, out var key, out _) ? key : null };
        var cells = plan.Stages.SelectMany(s => (s.Definition.Partitioned ? options.Partitions.Select(p => (string?)p) : [null]).Select(p => (Stage: s, Partition: p))).ToList();
        foreach (var file in cells.SelectMany(c => plain.Bind(c.Stage, c.Partition).Inputs.Concat(plain.Bind(c.Stage, c.Partition).Outputs)))
        {
            var copy = new string(file.FullPath.AsSpan());
            held.TryAdd(copy, copy);
        }

        foreach (var (stage, partition) in cells)
        {
            var (expected, actual) = (new StringBuilder(), new StringBuilder());
            Render(plain.Bind(stage, partition), h.Env.Root, expected);
            var bound = known.Bind(stage, partition);
            Render(bound, h.Env.Root, actual);

            actual.ToString().ShouldBe(expected.ToString());
            foreach (var file in bound.Inputs.Concat(bound.Outputs).Where(f => f.FullPath.Contains("2013-05-0", StringComparison.Ordinal)))
            {
                file.FullPath.ShouldBeSameAs(held[file.FullPath], file.LogicalPath);
            }
        }
    }

    private static EngineHarness Harness()
    {
        var yaml = new PipelineYaml()
            .Stage("Upper", "UpperCaseStage", s => s.Partitioned()
                .Input("Sources", "{raw}/date={date}/*.csv", "{reference}/lookup-{partition}.csv", "{pipeline}/config/contract.yaml")
                .Output("Output", "data/upper/date={date}/upper.txt")
                .Parameter("Suffix", "!"))
            .Stage("Copy", "TestStage", s => s.Partitioned()
                .Input("Input", "{date}/in-{partition}.txt")
                .Output("Output", "data/copy/date={date}/{partition}-{date}.txt")
                .Parameter("Partition", "{date}")
                .Parameter("FailOn", "a\\b {partition}")
                .Parameter("Seconds", "1.50")
                .Parameter("Failures", "007"))
            .Stage("Concat", "ConcatStage", s => s
                .Input("Parts", "data/upper/date={each}/upper.txt", "data/copy/date={each}/{each}-{each}.txt")
                .Output("Combined", "data/all.txt"))
            .Stage("Package", "Cairn.Stages.Common.PackageArtifact", s => s
                .Input("Files", "data/all.txt")
                .Output("ArtifactsDirectory", "data/package")
                .Parameter("Name", "m")
                .Parameter("Overrides", "{overrides}")
                .Parameter("Approvals", "{approvals}")
                .Parameter("ContractVersion", "{contract}"))
            .Then("roots:\n  reference: ../shared-reference\n");
        var h = new EngineHarness(yaml, ("Upper", []), ("Copy", []), ("Concat", ["Upper", "Copy"]), ("Package", ["Concat"]));
        h.Env.CreateFolder("shared-reference");
        h.WriteRaw("2013-05-01", "row\n");
        h.WriteRaw("2013-05-01", "row\n", "a.csv");
        h.WriteRaw("2013-05-02", "row\n");
        return h;
    }

    private static string Bind(EngineHarness h, params string[] settings)
    {
        var plan = h.Plan();
        var problems = new List<string>();
        var options = h.Options() with { ParameterOverrides = ParameterOverrides.Read(settings, plan, "Package", h.TargetGraph, problems) };
        problems.ShouldBeEmpty();
        var binder = new CellBinder(options, plan, approvals: _ => ["{\"by\":\"ann\"}"]);
        var text = new StringBuilder();
        foreach (var stage in plan.Stages)
        {
            string?[] partitions = stage.Definition.Partitioned ? [.. options.Partitions] : [null];
            foreach (var partition in partitions)
            {
                Render(binder.Bind(stage, partition), h.Env.Root, text);
            }
        }

        return text.ToString();
    }

    private static void Render(CellBinding cell, string root, StringBuilder text)
    {
        string Rooted(string path) => path.Replace(root, "<root>", StringComparison.Ordinal);
        text.Append(cell.Label).Append('\n');
        foreach (var input in cell.Inputs)
        {
            text.Append(CultureInfo.InvariantCulture, $"  input {input.Property} {input.LogicalPath} {Rooted(input.FullPath)}\n");
        }

        foreach (var output in cell.Outputs)
        {
            text.Append(CultureInfo.InvariantCulture, $"  output {output.Property} {output.LogicalPath} {Rooted(output.FullPath)}\n");
        }

        foreach (var (name, value) in cell.ParameterValues.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var shown = value is string[] list ? "[" + string.Join("|", list) + "]" : Convert.ToString(value, CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $"  value {name}={shown} ({value.GetType().Name})\n");
        }

        // In the order the dictionary gives them: the order a checkpoint records them in.
        foreach (var (name, value) in cell.Parameters)
        {
            text.Append(CultureInfo.InvariantCulture, $"  param {name}={value}\n");
        }

        var hashes = cell.Inputs.Select((_, i) => i.ToString("x32", CultureInfo.InvariantCulture)).ToList();
        text.Append(CultureInfo.InvariantCulture, $"  fingerprint {Fingerprint.Compute(cell, "Cairn.Tests.Task", "v1", hashes)}\n");
    }
}
