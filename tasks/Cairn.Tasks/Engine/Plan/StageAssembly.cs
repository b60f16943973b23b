using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using Cairn.Engine.Configuration;

namespace Cairn.Engine.Plan;

/// <summary>
/// Finds and loads a pipeline's own stage tasks from what <c>assembly:</c> names, wherever the pipeline's own build put
/// them: a project (<c>Orders.csproj</c>, its Release build under the project's <c>bin/</c> or an artifacts folder
/// above it), an assembly file (<c>bin/Orders.dll</c>), or an assembly name (an assembly the host already loaded, or
/// the project of that name in the pipeline's folder). The assembly's own dependencies load from its folder.
/// </summary>
internal static partial class StageAssembly
{
    private static readonly string[] ProjectExtensions = [".csproj", ".fsproj", ".vbproj"];
    private static readonly string[] ArtifactsFolders = [".build", "artifacts"];

    /// <summary>The engine's own assembly, which holds the built-in stages.</summary>
    public static Assembly Engine => typeof(StageAssembly).Assembly;

    /// <summary>The assembly <c>assembly:</c> names, loaded; null when there is none, or when it cannot be used (with the problems).</summary>
    public static Assembly? Load(PipelineDefinition pipeline, List<string> problems)
    {
        if (pipeline.Assembly is not { } named)
        {
            return null;
        }

        var file = Locate(pipeline, named, problems);
        if (file is null)
        {
            return null;
        }

        if (!CheckEngineVersion(pipeline, file, problems))
        {
            return null;
        }

        return Loaded(AssemblyName.GetAssemblyName(file).Name!) ?? Assembly.LoadFrom(file);
    }

    /// <summary>The assembly file <c>assembly:</c> names, or null with the problem (where it looked, and how to build it).</summary>
    public static string? Locate(PipelineDefinition pipeline, string named, List<string> problems)
    {
        var where = $"{pipeline.FilePath}: assembly '{named}'";
        if (named.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            var file = Path.GetFullPath(named, pipeline.Directory);
            if (!File.Exists(file))
            {
                problems.Add($"{where}: there is no {file}; build the stage project, or fix 'assembly' (a project, an assembly file, or an assembly name).");
                return null;
            }

            return file;
        }

        string? project = null;
        if (ProjectExtensions.Any(e => named.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
        {
            project = Path.GetFullPath(named, pipeline.Directory);
            if (!File.Exists(project))
            {
                problems.Add($"{where}: the project {project} does not exist; fix 'assembly' (a project, an assembly file, or an assembly name).");
                return null;
            }
        }

        var assemblyName = project is null ? named : AssemblyNameOf(project);

        // A host that loaded the stages itself, or ships them beside the engine (the tests, a service built with them).
        if (Loaded(assemblyName) is { } loaded && !string.IsNullOrEmpty(loaded.Location))
        {
            return loaded.Location;
        }

        var engineFolder = Path.GetDirectoryName(Engine.Location);
        var beside = string.IsNullOrEmpty(engineFolder) ? null : Path.Combine(engineFolder, assemblyName + ".dll");
        if (beside is not null && File.Exists(beside))
        {
            return beside;
        }

        if (project is null)
        {
            var projects = Directory.EnumerateFiles(pipeline.Directory)
                .Where(f => ProjectExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .ToList();
            project = projects.FirstOrDefault(p => string.Equals(AssemblyNameOf(p), named, StringComparison.Ordinal));
            if (project is null)
            {
                var found = projects.Count == 0 ? "holds no project" : $"holds {string.Join(", ", projects.Select(Path.GetFileName))}, none of which builds {named}";
                problems.Add($"{where}: no project builds it: {pipeline.Directory} {found}, and no loaded assembly has that name. Name the stage project (assembly: {named}.csproj, relative to the pipeline file) or its built assembly file (assembly: path/{named}.dll).");
                return null;
            }
        }

        var candidates = Candidates(project, assemblyName).ToList();
        var built = candidates.Where(File.Exists).MaxBy(File.GetLastWriteTimeUtc);
        if (built is null)
        {
            problems.Add($"{where}: {Path.GetFileName(project)} is not built: there is no {assemblyName}.dll in {string.Join(", ", candidates.Select(Path.GetDirectoryName).Distinct())}. Build it: dotnet build {project} -c Release.");
            return null;
        }

        return built;
    }

    /// <summary>
    /// Where a Release build of the project puts its assembly: under the project's <c>bin/Release/&lt;framework&gt;/</c>, or
    /// with an artifacts layout (<c>ArtifactsPath</c>, <c>UseArtifactsOutput</c>) under <c>.build/bin/&lt;project&gt;/release*/</c>
    /// or <c>artifacts/bin/&lt;project&gt;/release*/</c> in the project's folder or one above it.
    /// </summary>
    private static IEnumerable<string> Candidates(string project, string assembly)
    {
        var projectFolder = Path.GetDirectoryName(project)!;
        var projectName = Path.GetFileNameWithoutExtension(project);
        var file = assembly + ".dll";
        var release = Path.Combine(projectFolder, "bin", "Release");
        if (Directory.Exists(release))
        {
            foreach (var framework in Directory.EnumerateDirectories(release).Order(StringComparer.Ordinal))
            {
                yield return Path.Combine(framework, file);
            }
        }
        else
        {
            yield return Path.Combine(release, "net10.0", file);
        }

        for (var folder = projectFolder; folder is not null; folder = Path.GetDirectoryName(folder))
        {
            foreach (var artifacts in ArtifactsFolders)
            {
                var bin = Path.Combine(folder, artifacts, "bin", projectName);
                if (Directory.Exists(bin))
                {
                    foreach (var pivot in Directory.EnumerateDirectories(bin, "release*").Order(StringComparer.Ordinal))
                    {
                        yield return Path.Combine(pivot, file);
                    }
                }
            }
        }
    }

    /// <summary>
    /// A stage assembly built against another version of Cairn.Tasks than the engine that runs it would meet types it
    /// does not know, or miss ones it expects, at the first call: refuse it with both versions instead.
    /// </summary>
    private static bool CheckEngineVersion(PipelineDefinition pipeline, string file, List<string> problems)
    {
        var engine = Engine.GetName();
        using var stream = File.OpenRead(file);
        using var reader = new PEReader(stream);
        if (!reader.HasMetadata)
        {
            problems.Add($"{pipeline.FilePath}: {file} is not a .NET assembly; 'assembly' names the stage project, its assembly file or its assembly name.");
            return false;
        }

        var metadata = reader.GetMetadataReader();
        foreach (var handle in metadata.AssemblyReferences)
        {
            var reference = metadata.GetAssemblyReference(handle);
            if (metadata.StringComparer.Equals(reference.Name, engine.Name!) && reference.Version != engine.Version)
            {
                problems.Add(
                    $"{pipeline.FilePath}: the stage assembly {file} is built against Cairn.Tasks {Short(reference.Version)}, but the engine running it is Cairn {Short(engine.Version!)} " +
                    $"({Engine.Location}). Use one version for both: reference Cairn.Tasks {Short(engine.Version!)} from the stage project, or run it with Cairn {Short(reference.Version)}.");
                return false;
            }
        }

        return true;
    }

    private static string Short(Version version) => version.ToString(3);

    private static Assembly? Loaded(string name) =>
        AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => string.Equals(a.GetName().Name, name, StringComparison.Ordinal));

    /// <summary>The project's <c>&lt;AssemblyName&gt;</c> when it sets one literally, else its file name.</summary>
    private static string AssemblyNameOf(string project)
    {
        var match = AssemblyNameElement().Match(File.ReadAllText(project));
        return match.Success && !match.Groups[1].Value.Contains('$', StringComparison.Ordinal) ? match.Groups[1].Value.Trim() : Path.GetFileNameWithoutExtension(project);
    }

    [GeneratedRegex("<AssemblyName>([^<]+)</AssemblyName>", RegexOptions.CultureInvariant)]
    private static partial Regex AssemblyNameElement();
}
