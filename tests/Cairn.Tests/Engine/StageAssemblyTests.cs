using System.Buffers.Binary;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using Cairn.Engine.Configuration;
using Cairn.Engine.Plan;
using Cairn.Tests.Support;

namespace Cairn.Tests.Engine;

/// <summary>
/// Where the engine finds a pipeline's own stage tasks: wherever the pipeline's own build put them, from what
/// <c>assembly:</c> names (a project, an assembly file or an assembly name), and not only beside the engine.
/// </summary>
public sealed class StageAssemblyTests : IDisposable
{
    private readonly TestEnvironment _env = new();

    [Fact]
    public void A_project_is_found_in_an_artifacts_folder_above_it()
    {
        var definition = Pipeline("Orders.csproj");
        _env.WriteFile("pipelines/orders/Orders.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        var built = _env.WriteFile(".build/bin/Orders/release/Orders.dll", "");

        Locate(definition).ShouldBe(built);
    }

    [Fact]
    public void A_project_is_found_in_its_own_bin_Release_and_its_AssemblyName_is_the_file_looked_for()
    {
        var definition = Pipeline("Orders.csproj");
        _env.WriteFile("pipelines/orders/Orders.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><AssemblyName>Acme.Orders</AssemblyName></PropertyGroup></Project>");
        var built = _env.WriteFile("pipelines/orders/bin/Release/net10.0/Acme.Orders.dll", "");

        Locate(definition).ShouldBe(built);
    }

    [Fact]
    public void An_assembly_name_is_the_project_of_that_name_in_the_pipelines_folder()
    {
        var definition = Pipeline("Orders");
        _env.WriteFile("pipelines/orders/Orders.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        var built = _env.WriteFile("artifacts/bin/Orders/release/Orders.dll", "");

        Locate(definition).ShouldBe(built);
    }

    [Fact]
    public void A_project_not_built_yet_is_refused_with_where_it_was_looked_for_and_the_command_that_builds_it()
    {
        var definition = Pipeline("Orders.csproj");
        var project = _env.WriteFile("pipelines/orders/Orders.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");

        Problem(definition).ShouldBe($"{definition.FilePath}: assembly 'Orders.csproj': Orders.csproj is not built: there is no Orders.dll in {_env.PathOf("pipelines/orders/bin/Release/net10.0")}. Build it: dotnet build {project} -c Release.");
    }

    [Fact]
    public void A_name_no_project_builds_is_refused_with_the_projects_there_are()
    {
        var definition = Pipeline("Acme.Sales");
        _env.WriteFile("pipelines/orders/Orders.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");

        Problem(definition).ShouldBe($"{definition.FilePath}: assembly 'Acme.Sales': no project builds it: {_env.PathOf("pipelines/orders")} holds Orders.csproj, none of which builds Acme.Sales, and no loaded assembly has that name. Name the stage project (assembly: Acme.Sales.csproj, relative to the pipeline file) or its built assembly file (assembly: path/Acme.Sales.dll).");
    }

    [Fact]
    public void An_assembly_file_is_loaded_from_where_it_is_and_a_missing_stage_class_lists_the_stage_tasks_there()
    {
        var copy = _env.PathOf("elsewhere/Cairn.Tests.dll");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        File.Copy(typeof(StageAssemblyTests).Assembly.Location, copy);
        _env.WriteFile("pipelines/orders/pipeline.yaml", $$"""
            name: orders
            assembly: {{copy}}
            stages:
              Upper:
                task: Cairn.Tests.Engine.TestStages.UpperCase
                partitioned: true
                inputs:
                  Sources: "{raw}/date={date}/*.csv"
                outputs:
                  Output: "data/upper/date={date}/upper.txt"
            """);
        var definition = PipelineLoader.Load(_env.PathOf("pipelines/orders/pipeline.yaml"));

        var error = Should.Throw<CairnUsageException>(() => PipelinePlan.Build(definition, new Dictionary<string, IReadOnlyList<string>> { ["Upper"] = [] }));

        var problem = error.Problems.ShouldHaveSingleItem();
        problem.ShouldStartWith($"{definition.FilePath}: stage 'Upper' names task 'Cairn.Tests.Engine.TestStages.UpperCase', which is in neither Cairn.Tests nor Cairn.Tasks. Stage tasks there: ");
        problem.ShouldContain("Cairn.Tests.Engine.TestStages.UpperCaseStage, ");
        problem.ShouldContain("Cairn.Stages.Common.Ingest, ");
    }

    [Fact]
    public void A_missing_assembly_file_is_refused_naming_it()
    {
        var definition = Pipeline("bin/Orders.dll");

        Problem(definition).ShouldBe($"{definition.FilePath}: assembly 'bin/Orders.dll': there is no {_env.PathOf("pipelines/orders/bin/Orders.dll")}; build the stage project, or fix 'assembly' (a project, an assembly file, or an assembly name).");
    }

    [Fact]
    public void A_stage_assembly_built_against_another_Cairn_Tasks_is_refused_with_both_versions_before_it_is_loaded()
    {
        // The weather sample's stage assembly, as if built against Cairn.Tasks 9.8.7 (its reference rewritten in place).
        var file = _env.PathOf("elsewhere/Cairn.Pipelines.Weather.dll");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Cairn.Pipelines.Weather.dll"), file);
        ChangeReference(file, "Cairn.Tasks", new Version(9, 8, 7, 0));
        var definition = Pipeline(file);
        var engine = typeof(CairnSession).Assembly;
        var problems = new List<string>();

        StageAssembly.Load(definition, problems).ShouldBeNull();

        problems.ShouldHaveSingleItem().ShouldBe(
            $"{definition.FilePath}: the stage assembly {file} is built against Cairn.Tasks 9.8.7, but the engine running it is Cairn {engine.GetName().Version!.ToString(3)} ({engine.Location}). " +
            $"Use one version for both: reference Cairn.Tasks {engine.GetName().Version!.ToString(3)} from the stage project, or run it with Cairn 9.8.7.");
    }

    public void Dispose() => _env.Dispose();

    /// <summary>Rewrites the version an assembly's reference asks for: the first four fields of its AssemblyRef row.</summary>
    private static void ChangeReference(string file, string name, Version version)
    {
        var bytes = File.ReadAllBytes(file);
        int offset;
        using (var reader = new PEReader(new MemoryStream(bytes)))
        {
            var metadata = reader.GetMetadataReader();
            var handle = metadata.AssemblyReferences.Single(h => metadata.StringComparer.Equals(metadata.GetAssemblyReference(h).Name, name));
            offset = reader.PEHeaders.MetadataStartOffset + metadata.GetTableMetadataOffset(TableIndex.AssemblyRef)
                + ((MetadataTokens.GetRowNumber(handle) - 1) * metadata.GetTableRowSize(TableIndex.AssemblyRef));
        }

        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(offset), (ushort)version.Major);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(offset + 2), (ushort)version.Minor);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(offset + 4), (ushort)version.Build);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(offset + 6), (ushort)version.Revision);
        File.WriteAllBytes(file, bytes);
    }

    private PipelineDefinition Pipeline(string assembly)
    {
        _env.WriteFile("pipelines/orders/pipeline.yaml", new PipelineYaml("orders").Stage("Upper", "UpperCaseStage", s => s.Partitioned().Input("Sources", "{raw}/date={date}/*.csv").Output("Output", "data/upper/date={date}/upper.txt")).ToString()
            .Replace("assembly: Cairn.Tests", $"assembly: {assembly}", StringComparison.Ordinal));
        return PipelineLoader.Load(_env.PathOf("pipelines/orders/pipeline.yaml"));
    }

    private static string? Locate(PipelineDefinition definition)
    {
        var problems = new List<string>();
        var file = StageAssembly.Locate(definition, definition.Assembly!, problems);
        problems.ShouldBeEmpty();
        return file;
    }

    private static string Problem(PipelineDefinition definition)
    {
        var problems = new List<string>();
        StageAssembly.Locate(definition, definition.Assembly!, problems).ShouldBeNull();
        return problems.ShouldHaveSingleItem();
    }
}
