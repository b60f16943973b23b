using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.IO.Enumeration;
using System.Runtime.CompilerServices;
using Cairn.Engine.Configuration;
using Cairn.Engine.Model;

namespace Cairn.Engine.Plan;

/// <summary>Resolves a stage's path templates and parameters for one cell against a run's workspace, raw folder and partitions.</summary>
internal sealed class CellBinder
{
    // What Directory.EnumerateFiles(path, pattern) uses: hidden and system files too, errors not ignored.
    private static readonly EnumerationOptions EnumerationOptions = new() { AttributesToSkip = 0, IgnoreInaccessible = false, RecurseSubdirectories = false };

    private readonly RunOptions _options;
    private readonly PipelinePlan _plan;
    private readonly Func<string, IReadOnlyList<string>> _runStates;
    private readonly Func<string, IReadOnlyList<string>> _approvals;
    private readonly ConcurrentDictionary<StagePlan, StageTemplates> _templates = new(ReferenceEqualityComparer.Instance);

    /// <summary>The contract versions the <c>{contract}</c> parameter is bound to; empty when null.</summary>
    public ContractVersions? Contracts { get; set; }

    /// <summary>
    /// The string already held for a full path (the stat cache's key for it, <see cref="Workspace.FileHashes.KnownPath"/>),
    /// or null: a bound file takes that string rather than a copy of its own. A no-op binds every cell again, and a
    /// whole-dataset cell at 40,000 partitions binds 80,000 files whose full paths are then held once, not twice.
    /// </summary>
    public Func<ReadOnlySpan<char>, string?>? KnownPath { get; set; }

    /// <param name="options">The run's arguments.</param>
    /// <param name="plan">The checked pipeline.</param>
    /// <param name="runStates">For a stage about to run, what every stage did so far in this run (the <c>{run}</c> parameter).</param>
    /// <param name="approvals">For a stage, the approvals its upstream gates were passed by (the <c>{approvals}</c> parameter).</param>
    public CellBinder(RunOptions options, PipelinePlan plan, Func<string, IReadOnlyList<string>>? runStates = null, Func<string, IReadOnlyList<string>>? approvals = null)
    {
        _options = options;
        _plan = plan;
        _runStates = runStates ?? (_ => []);
        _approvals = approvals ?? (_ => []);
    }

    public string FullPathOfWorkspaceFile(string logical) => Path.Combine(_options.WorkspaceDirectory, logical.TrimEnd('/'));

    public CellBinding Bind(StagePlan stage, string? partition)
    {
        var templates = _templates.GetOrAdd(stage, static (stage, binder) => binder.Templates(stage), this);
        var window = templates.EachInputs == 0 ? [] : _options.Window(stage.Definition);
        var inputs = new List<BoundFile>(templates.Inputs.Count + (templates.EachInputs * (window.Count - 1)));
        foreach (var template in templates.Inputs)
        {
            if (template.UsesEach)
            {
                foreach (var each in window)
                {
                    Resolve(template, each, inputs, KnownPath);
                }
            }
            else
            {
                Resolve(template, partition, inputs, KnownPath);
            }
        }

        var outputs = new List<BoundFile>(templates.Outputs.Count);
        foreach (var template in templates.Outputs)
        {
            outputs.Add(template.Bind(partition, KnownPath));
        }

        var (values, canonical) = BindParameters(stage, templates, partition);
        return new CellBinding(stage.Name, partition, inputs, outputs, values, canonical) { PartitionKey = _options.Scheme.Key };
    }

    /// <summary>The parameters' values for the task, and their canonical texts in ordinal order (what the fingerprint and the checkpoint hold).</summary>
    private (IReadOnlyDictionary<string, object> Values, IReadOnlyDictionary<string, string> Canonical) BindParameters(StagePlan stage, StageTemplates templates, string? partition)
    {
        var count = templates.Parameters.Count;
        if (count == 0 && !templates.AddsSelection)
        {
            return (ReadOnlyDictionary<string, object>.Empty, ReadOnlyDictionary<string, string>.Empty);
        }

        var values = new object[templates.ValueNames.Length];
        var canonical = new string[templates.TextNames.Length];
        void Set(string name, object typed, string? text)
        {
            values[Array.BinarySearch(templates.ValueNames, name, StringComparer.Ordinal)] = typed;
            if (text is not null)
            {
                canonical[Array.BinarySearch(templates.TextNames, name, StringComparer.Ordinal)] = text;
            }
        }

        foreach (var (name, value, type) in templates.Parameters)
        {
            if (value.Scalar == ParameterConverter.RunPlaceholder)
            {
                // It describes this run, not the data: out of the fingerprint and the checkpoint, so it never makes a cell re-run.
                Set(name, _runStates(stage.Name).ToArray(), null);
                continue;
            }

            if (value.Scalar == ParameterConverter.OverridesPlaceholder)
            {
                // Fingerprinted: what records the overrides (a package manifest) is rebuilt when they change.
                string[] overrides = [.. _options.ParameterOverrides.Select(o => $"{o.Key}={o.Canonical}").Order(StringComparer.Ordinal)];
                Set(name, overrides, System.Text.Json.JsonSerializer.Serialize(overrides));
                continue;
            }

            if (value.Scalar == ParameterConverter.SelectionPlaceholder)
            {
                Set(name, _options.Selection.Text, SelectionFingerprint);
                continue;
            }

            if (value.Scalar == ParameterConverter.ContractPlaceholder)
            {
                // Fingerprinted: what records the contract version (a package manifest) is rebuilt when it changes.
                var version = Contracts?.Of(stage.Name) ?? string.Empty;
                Set(name, version, version);
                continue;
            }

            if (value.Scalar == ParameterConverter.ApprovalsPlaceholder)
            {
                // Fingerprinted: what records the approvals (a package manifest, its model card) is rebuilt when they change.
                string[] approvals = [.. _approvals(stage.Name)];
                Set(name, approvals, System.Text.Json.JsonSerializer.Serialize(approvals));
                continue;
            }

            var (typed, text) = ParameterConverter.Convert(value, type, partition, _plan.DagEdges, stage.Name, name);
            Set(name, typed, text);
        }

        if (templates.AddsSelection)
        {
            canonical[Array.BinarySearch(templates.TextNames, ParameterConverter.SelectionPlaceholder, StringComparer.Ordinal)] = SelectionFingerprint;
        }

        return (new ParameterMap<object>(templates.ValueNames, values), new ParameterMap<string>(templates.TextNames, canonical));
    }

    /// <summary>The selection as a fingerprint and a reason show it: <c>all</c>, a key, or <c>FROM..TO</c>.</summary>
    private string SelectionFingerprint => _options.Selection.IsAll ? "all" : _options.Selection.Text;

    /// <summary>What binding the stage's cells takes that is the same for each of them in this run.</summary>
    private StageTemplates Templates(StagePlan stage)
    {
        var inputs = new List<ResolvedTemplate>();
        foreach (var property in stage.Descriptor.Inputs)
        {
            if (stage.Definition.Inputs.TryGetValue(property.Name, out var templates))
            {
                inputs.AddRange(templates.Select(template => new ResolvedTemplate(property.Name, template, RootOf(template), template.Prefix)));
            }
        }

        var outputs = new List<ResolvedTemplate>();
        foreach (var property in stage.Descriptor.Outputs)
        {
            if (stage.Definition.Outputs.TryGetValue(property.Name, out var template))
            {
                // A stage that fans out owns the folder it writes the partitions into; its one cell has no partition to fill in.
                var path = stage.Definition.FanOut is { } fanOut && fanOut.Property == property.Name ? new PathTemplate(PathRoot.Workspace, fanOut.Folder) : template;
                outputs.Add(new ResolvedTemplate(property.Name, path, _options.WorkspaceDirectory, logicalPrefix: string.Empty));
            }
        }

        var parameters = Parameters(stage).Select(p => (p.Key, p.Value, stage.Descriptor.Find(p.Key)!.Info.PropertyType)).ToList();

        // What a stage that fans out lands depends on the selection, whether or not its task is told it: a landing run
        // for one week is not up to date for the next.
        var addsSelection = stage.Definition.FanOut is not null && !stage.Definition.Parameters.Values.Any(v => v.Scalar == ParameterConverter.SelectionPlaceholder);
        return new StageTemplates(inputs, outputs, parameters, addsSelection);
    }

    private string RootOf(PathTemplate template) => template.Root switch
    {
        PathRoot.Raw => _options.RawDirectory,
        PathRoot.Pipeline => _plan.Definition.Directory,
        PathRoot.Named => _plan.Definition.Roots[template.RootName!],
        _ => _options.WorkspaceDirectory,
    };

    /// <summary>The stage's parameters as the pipeline binds them, with this run's <c>--set</c> values in their place.</summary>
    private IEnumerable<KeyValuePair<string, ParameterValue>> Parameters(StagePlan stage)
    {
        if (!_options.ParameterOverrides.Any(o => o.Stage == stage.Name))
        {
            return stage.Definition.Parameters;
        }

        var parameters = new Dictionary<string, ParameterValue>(stage.Definition.Parameters, StringComparer.Ordinal);
        foreach (var setting in _options.ParameterOverrides.Where(o => o.Stage == stage.Name))
        {
            parameters[setting.Parameter] = setting.Value;
        }

        return parameters;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Resolve(ResolvedTemplate template, string? partition, List<BoundFile> into, Func<ReadOnlySpan<char>, string?>? knownPath)
    {
        if (!template.IsGlob)
        {
            into.Add(template.Bind(partition, knownPath));
            return;
        }

        var relative = template.Template.Expand(partition);
        var slash = relative.LastIndexOf('/');
        var folder = slash < 0 ? string.Empty : relative[..slash];
        var directory = Path.Combine(template.Root, folder);
        List<string> names;
        try
        {
            names = MatchingFileNames(directory, template.PatternExpression ?? FileSystemName.TranslateWin32Expression(relative[(slash + 1)..]));
        }
        catch (DirectoryNotFoundException)
        {
            // No folder (or a file where it would be), no match: learnt from the listing itself, not a stat before it
            // (a glob is bound twice per cell, when it is scanned and after its task ran).
            return;
        }

        names.Sort(StringComparer.Ordinal);
        var relativeFolder = folder.Length == 0 ? string.Empty : folder + "/";
        var fullFolder = Path.EndsInDirectorySeparator(directory) ? directory : directory + Path.DirectorySeparatorChar;
        // Where the full path ends as the logical one does (the folder as written, then the name): the logical path is
        // the root's prefix and that tail, made only when asked for. Elsewhere (a separator of another kind) it is made now.
        var tailStart = fullFolder.EndsWith(relativeFolder, StringComparison.Ordinal) ? fullFolder.Length - relativeFolder.Length : -1;
        var logicalFolder = tailStart < 0 ? template.LogicalPrefix + relativeFolder : null;
        foreach (var name in names)
        {
            var full = ResolvedTemplate.Concat(fullFolder, name, knownPath);
            into.Add(logicalFolder is null
                ? BoundFile.WithLogicalTail(template.Property, template.LogicalPrefix, full, tailStart)
                : new BoundFile(template.Property, logicalFolder + name, full));
        }
    }

    /// <summary>
    /// The names of the files in the folder that match the pattern (translated by <see cref="FileSystemName.TranslateWin32Expression"/>), as <see cref="Directory.EnumerateFiles(string, string)"/>
    /// matches them, without building a full path per file first: a glob over ten thousand files is a no-op run's
    /// largest list.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<string> MatchingFileNames(string directory, string expression)
    {
        var ignoreCase = !OperatingSystem.IsLinux();
        var names = new FileSystemEnumerable<string>(directory, (ref FileSystemEntry entry) => entry.FileName.ToString(), EnumerationOptions)
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory && FileSystemName.MatchesWin32Expression(expression, entry.FileName, ignoreCase),
        };
        return [.. names];
    }
}
