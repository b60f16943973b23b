using Cairn.Engine.Inspecting;
using Cairn.Engine.Plan;
using Cairn.Tests.Engine;
using Cairn.Tests.Support;

namespace Cairn.Tests.CommandLine;

/// <summary>The arguments come from one table of definitions: the parser reads it, help prints it, the README shows it.</summary>
public sealed class ArgumentDefinitionTests
{
    [Theory]
    [InlineData("--keep-going=yes", "--keep-going=yes: --keep-going is a switch; give it alone, or =true / =false.")]
    [InlineData("--no-wait=1", "--no-wait=1: --no-wait is a switch; give it alone, or =true / =false.")]
    [InlineData("--check=on", "--check=on: --check is a switch; give it alone, or =true / =false.")]
    public void A_switch_given_a_value_other_than_true_or_false_is_a_usage_error_naming_the_switch(string argument, string message)
    {
        using var h = EngineHarness.TwoStages("2013-05-01");

        var run = h.Run(argument);

        run.UsageError.ShouldBeTrue();
        ((CairnUsageException)run.Failure!).Problems.ShouldBe([message]);
        Directory.Exists(h.WorkspaceFile("checkpoints")).ShouldBeFalse();
    }

    [Fact]
    public void A_bad_switch_is_reported_together_with_every_other_problem()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");

        var run = h.Run("--keep-going=yes", "--env=qa", "--limit=0");

        ((CairnUsageException)run.Failure!).Problems.Count.ShouldBe(3);
    }

    [Theory]
    [InlineData("--keep-going=false")]
    [InlineData("--keep-going=TRUE")]
    [InlineData("--no-wait")]
    [InlineData("--force=false")]
    [InlineData("--force=True")]
    public void The_boolean_forms_of_a_switch_are_read(string argument)
    {
        using var h = EngineHarness.TwoStages("2013-05-01");

        h.Run(argument).ShouldSucceed();
    }

    [Fact]
    public void Cairns_known_arguments_are_the_definitions_the_host_does_not_read()
    {
        RunArguments.Known.ShouldBe(RunArguments.Definitions.Select(d => d.Name).Where(n => n != "target"));
    }

    [Fact]
    public void The_READMEs_argument_table_is_made_from_the_definitions_the_parser_reads()
    {
        var readme = File.ReadAllText(Repository.PathOf("README.md")).ReplaceLineEndings("\n");
        var start = readme.IndexOf("| argument | meaning |\n", StringComparison.Ordinal);
        start.ShouldBeGreaterThan(0, "README.md has no '| argument | meaning |' table");
        var end = readme.IndexOf("\n\n", start, StringComparison.Ordinal);

        readme[start..(end + 1)].ShouldBe(HelpText.MarkdownTable());
    }
}
