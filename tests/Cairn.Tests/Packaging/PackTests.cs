using System.Text.RegularExpressions;
using Cairn.Tests.CommandLine;
using Cairn.Tests.Support;

namespace Cairn.Tests.Packaging;

/// <summary>
/// One version for all of Cairn's packages, set once (<c>CairnVersion</c> in Directory.Build.props), and
/// <c>./build.sh --target=Pack</c>, a task of this repository's own build script, writing them.
/// </summary>
[Collection(BuildScriptRuns.Name)]
public sealed partial class PackTests
{
    private static readonly string[] Ids = ["Cairn.Tasks", "Cairn.Cake", "Cairn.Templates"];

    private static string CairnVersion => VersionElement().Match(File.ReadAllText(Repository.PathOf("Directory.Build.props"))).Groups[1].Value;

    [Fact]
    public void The_version_is_set_once_and_the_sample_loads_the_Cake_package_of_that_version()
    {
        CairnVersion.ShouldMatch(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$");
        var projects = Directory.GetFiles(Repository.PathOf("tasks"), "*.csproj", SearchOption.AllDirectories).Append(Repository.PathOf("templates/Cairn.Templates.csproj"));
        foreach (var project in projects)
        {
            File.ReadAllText(project).ShouldNotContain("<Version>", Case.Sensitive, $"{project} sets a version of its own");
        }

        File.ReadAllText(Repository.PathOf("build/build.cake")).ShouldContain($"#load nuget:?package=Cairn.Cake&version={CairnVersion}\n");
        File.ReadAllText(Repository.PathOf("templates/repository/.template.config/template.json")).ShouldContain("\"value\": \"@CairnVersion@\"");
    }

    [Fact]
    public void Pack_writes_the_three_packages_of_that_version_to_build_packages()
    {
        // Packing skips a package that is up to date, so the three are removed first (the bootstrapper then packs
        // Cairn.Cake again for the script, as on a fresh clone).
        var names = Ids.Select(id => Repository.PathOf($".build/packages/{id}.{CairnVersion}.nupkg")).ToList();
        names.ForEach(File.Delete);

        var run = Processes.Run(Repository.PathOf("build.sh"), ["--target=Pack"], Repository.Root, timeoutSeconds: 600).ShouldExitWith(0);

        run.Output.ShouldContain("Packed Cairn.Tasks, Cairn.Cake and Cairn.Templates into .build/packages/");
        names.Where(n => !File.Exists(n)).ShouldBeEmpty();
    }

    [GeneratedRegex("<CairnVersion>([^<]+)</CairnVersion>")]
    private static partial Regex VersionElement();
}
