using Cairn.Engine.Configuration;

namespace Cairn.Engine.Plan;

/// <summary>
/// Which pipeline a run is for: <c>--pipeline=NAME</c> is <c>pipelines/NAME/pipeline.yaml</c> under the repository,
/// <c>--pipeline=PATH</c> a pipeline file (or the folder holding one) anywhere, and without it the repository's only
/// pipeline. A pipeline's folder is its name.
/// </summary>
internal static class PipelineSelection
{
    public const string Argument = "pipeline";
    public const string Folder = "pipelines";
    public const string FileName = "pipeline.yaml";

    /// <summary>The pipeline file chosen; a usage error that lists the pipelines found otherwise.</summary>
    /// <param name="repositoryRoot">The repository, whose <c>pipelines/</c> folder holds one folder per pipeline.</param>
    /// <param name="argument">The <c>--pipeline</c> value, if given.</param>
    /// <param name="baseDirectory">Where a relative path given as <c>--pipeline</c> starts.</param>
    public static string File(string repositoryRoot, string? argument, string baseDirectory)
    {
        var names = Names(repositoryRoot);
        var known = names.Count == 0 ? $"There is no pipeline in {Path.Combine(repositoryRoot, Folder)}" : $"The pipelines are {string.Join(", ", names)}";
        if (string.IsNullOrEmpty(argument))
        {
            return names.Count switch
            {
                1 => PathOf(repositoryRoot, names[0]),
                0 => throw new CairnUsageException(
                    $"There is no pipeline in {Path.Combine(repositoryRoot, Folder)}: a pipeline is a folder {Folder}/NAME holding {FileName} (dotnet new cairn-pipeline -n NAME makes one), or pass --pipeline=PATH with a pipeline file.{Misplaced(repositoryRoot, null)}"),
                _ => throw new CairnUsageException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"There are {names.Count:N0} pipelines here ({string.Join(", ", names)}); choose one with --pipeline=NAME.")),
            };
        }

        if (IsPath(argument))
        {
            var path = Path.GetFullPath(argument, baseDirectory);
            if (Directory.Exists(path))
            {
                path = Path.Combine(path, FileName);
            }

            if (!System.IO.File.Exists(path))
            {
                throw new CairnUsageException($"--pipeline={argument}: there is no pipeline file {path}; pass a pipeline's name (a folder under {Folder}/) or the path of its {FileName}. {known}.");
            }

            return path;
        }

        if (!PipelineNames.IsValid(argument))
        {
            throw new CairnUsageException($"--pipeline={argument}: '{argument}' is not a pipeline name ({PipelineNames.Rule}); give the name of a folder under {Folder}/, or the path of a pipeline file. {known}.");
        }

        var file = PathOf(repositoryRoot, argument);
        if (System.IO.File.Exists(file))
        {
            return file;
        }

        var folder = Path.GetDirectoryName(file)!;
        if (Directory.Exists(folder))
        {
            throw new CairnUsageException($"--pipeline={argument}: {Folder}/{argument} holds no {FileName}.{Misplaced(repositoryRoot, argument)} {known}.");
        }

        var near = names.FirstOrDefault(n => string.Equals(n, argument, StringComparison.OrdinalIgnoreCase))
            ?? names.Where(n => RunArguments.Distance(n, argument) <= 2).MinBy(n => RunArguments.Distance(n, argument));
        var hint = near is null ? string.Empty : $"; did you mean --pipeline={near}?";
        throw new CairnUsageException($"--pipeline={argument}: there is no pipeline '{argument}'{hint} {known} (each {Folder}/NAME/{FileName}).");
    }

    /// <summary>
    /// A file at <c>pipelines/NAME/pipeline.yaml</c> must name itself NAME: the folder is what <c>--pipeline</c> and the
    /// default workspace go by. A file elsewhere (a test's, one given by path) names itself freely.
    /// </summary>
    public static string? FolderProblem(string repositoryRoot, PipelineDefinition pipeline)
    {
        var folder = Path.GetDirectoryName(pipeline.FilePath)!;
        var pipelines = Path.GetFullPath(Path.Combine(repositoryRoot, Folder));
        if (!string.Equals(Path.GetDirectoryName(folder), pipelines, StringComparison.Ordinal))
        {
            return null;
        }

        var name = Path.GetFileName(folder);
        if (!PipelineNames.IsValid(name))
        {
            var suggestion = string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')).TrimStart('_', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9');
            return $"{pipeline.FilePath}: '{name}' is not a pipeline name ({PipelineNames.Rule}), and a pipeline's folder is its name (--pipeline=NAME, workspace work/NAME, the stage project's namespace): rename the folder and set name: to the new name (e.g. {(suggestion.Length > 0 ? suggestion : "pipeline1")}).";
        }

        return string.Equals(name, pipeline.Name, StringComparison.Ordinal)
            ? null
            : $"{pipeline.FilePath}: name is '{pipeline.Name}', but the file is in {Folder}/{name}; a pipeline's folder is its name (--pipeline={name}, workspace work/{name}): set name: {name}, or rename the folder to {Folder}/{pipeline.Name}.";
    }

    /// <summary>The pipelines of the repository: each folder under <c>pipelines/</c> that holds a <c>pipeline.yaml</c>, by name.</summary>
    public static IReadOnlyList<string> Names(string repositoryRoot)
    {
        var pipelines = Path.Combine(repositoryRoot, Folder);
        return Directory.Exists(pipelines)
            ? Directory.EnumerateDirectories(pipelines)
                .Where(d => System.IO.File.Exists(Path.Combine(d, FileName)))
                .Select(Path.GetFileName)
                .OfType<string>()
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
    }

    private static string PathOf(string repositoryRoot, string name) => Path.GetFullPath(Path.Combine(repositoryRoot, Folder, name, FileName));

    private static bool IsPath(string argument) =>
        argument.Contains('/', StringComparison.Ordinal) || argument.Contains('\\', StringComparison.Ordinal)
        || argument.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || argument.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
        || argument is "." or "..";

    /// <summary>
    /// Pipeline files where none is looked for (a <c>pipeline.yml</c>, one in a sub-folder of a pipeline, one directly in
    /// <c>pipelines/</c>), each with where it belongs; empty when there is none.
    /// </summary>
    private static string Misplaced(string repositoryRoot, string? name)
    {
        var pipelines = Path.Combine(repositoryRoot, Folder);
        var root = name is null ? pipelines : Path.Combine(pipelines, name);
        if (!Directory.Exists(root))
        {
            return string.Empty;
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 3, MatchCasing = MatchCasing.CaseInsensitive };
        var misplaced = Directory.EnumerateFiles(root, "pipeline.y*ml", options)
            .Select(f => Path.GetRelativePath(pipelines, f).Replace('\\', '/'))
            .Where(f => f.Split('/') is var parts && !(parts.Length == 2 && parts[1] == FileName) && !parts.Any(p => p is "bin" or "obj"))
            .Order(StringComparer.Ordinal)
            .Select(f => $"{Folder}/{f} is not where a pipeline file is looked for: move it to {Folder}/{(f.Contains('/', StringComparison.Ordinal) ? f[..f.IndexOf('/', StringComparison.Ordinal)] : "NAME")}/{FileName}.")
            .ToList();
        return misplaced.Count == 0 ? string.Empty : " " + string.Join(" ", misplaced);
    }
}
