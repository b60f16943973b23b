// The sample pipeline's build script, as thin as any repository's: Cairn.Cake makes one target per stage of
// pipelines/weather/pipeline.yaml (described and ordered there), plus Status, History, Health, Graph and Help.
// Arguments: see README.md. In this repository build.sh packs Cairn.Cake from tasks/ first, so the sample runs the
// engine of the working tree exactly as a repository made by `dotnet new cairn` runs a released one.
#load nuget:?package=Cairn.Cake&version=0.1.0

// Cairn's own packages, for other repositories (README: Your own pipeline). A task of the script's own, as any
// repository may add: it runs no stage.
Task("Pack")
    .Description("Cairn's packages in .build/packages/: Cairn.Tasks, Cairn.Cake, Cairn.Templates")
    .Does(() =>
    {
        foreach (var project in new[] { "tasks/Cairn.Tasks/Cairn.Tasks.csproj", "tasks/Cairn.Cake/Cairn.Cake.csproj", "templates/Cairn.Templates.csproj" })
        {
            DotNetPack($"../{project}", new DotNetPackSettings
            {
                Configuration = "Release",
                OutputDirectory = "../.build/packages",
                NoLogo = true,
                Verbosity = DotNetVerbosity.Quiet,
            });
        }

        // Information(...) shows from --verbosity=normal only (cake.config keeps Cake at minimal).
        Console.WriteLine("Packed Cairn.Tasks, Cairn.Cake and Cairn.Templates into .build/packages/");
    });

// ValidationSummary's report is read by no stage, so the data flow gives Package no edge to it; --target=Package runs
// it all the same. Another pipeline run with this script (--pipeline=path/to/pipeline.yaml) may have neither stage.
if (HasStage("ValidationSummary") && HasStage("Package"))
{
    Stage("ValidationSummary").IsDependeeOf("Package");
}

RunCairn();
