using Cairn.Tests.Support;

namespace Cairn.Tests.CommandLine;

/// <summary>The same stage task classes run under real MSBuild, registered by the repository's Directory.Build.targets.</summary>
public sealed class MSBuildHostingTests
{
    [Fact]
    public void Dotnet_msbuild_runs_a_stage_through_the_UsingTask_of_Directory_Build_targets()
    {
        using var env = new TestEnvironment();
        env.WriteFile("raw/a.csv", "\uFEFFDate , Temp\r\n2013-05-03,12.5\r\n");
        var project = env.WriteFile("ingest.proj", $"""
            <Project>
              <Import Project="{Repository.PathOf("Directory.Build.targets")}" />
              <ItemGroup>
                <RawFiles Include="raw/*.csv" />
              </ItemGroup>
              <Target Name="Ingest">
                <IngestCsv Sources="@(RawFiles)" Output="out/weather.csv">
                  <Output TaskParameter="RowsIn" PropertyName="Rows" />
                </IngestCsv>
                <Message Importance="high" Text="rows in: $(Rows)" />
              </Target>
            </Project>
            """);

        var run = Processes.Run("dotnet", ["msbuild", project, "-nologo", "-t:Ingest", $"-p:CairnTasksDirectory={AppContext.BaseDirectory}"], env.Root, timeoutSeconds: 180)
            .ShouldExitWith(0);

        run.Output.ShouldContain("rows in: 1");
        var lines = File.ReadAllLines(env.PathOf("out/weather.csv"));
        lines[0].ShouldBe("date,temp,_source,_error");
        lines[1].ShouldBe("2013-05-03,12.5,a.csv:2,");
    }
}
