using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Hashing;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Task = Microsoft.Build.Utilities.Task;

namespace Cairn.Stages.Common;

/// <summary>
/// Packages files into a content-addressed folder <c>&lt;Name&gt;-&lt;hash&gt;/</c> with a <c>manifest.json</c>
/// listing every file and lineage input with its hash, the parameters and the metrics, the parameters set on the
/// command line when there are any, and the approvals of a person that let the model through a gate when there are any
/// (also written into the packaged model card's Approvals section). The same inputs always give the same folder name and bytes. Bind
/// <c>ArtifactsDirectory</c> to a folder of the stage's own and give the stage <c>publish: {to: artifacts}</c>: after
/// the run succeeds, the engine publishes the folder as a version beside the earlier ones and points
/// <c>artifacts/LATEST</c> at it.
/// </summary>
public sealed class PackageArtifact : StageTask
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Files copied into the package.</summary>
    [Required]
    [StageInput]
    public ITaskItem[] Files { get; set; } = [];

    /// <summary>Files the package was derived from: listed with their hashes, not copied.</summary>
    [StageInput]
    public ITaskItem[] Lineage { get; set; } = [];

    /// <summary>A JSON file whose content is recorded as the package's metrics.</summary>
    [StageInput]
    public string? MetricsFile { get; set; }

    /// <summary>A JSON file whose <c>parameters</c> object (or whole content) is recorded as the package's parameters.</summary>
    [StageInput]
    public string? ParametersFile { get; set; }

    /// <summary>The package's name; the folder is <c>&lt;Name&gt;-&lt;first 16 hex of the hash&gt;</c>.</summary>
    [Required]
    [StageParameter]
    public string Name { get; set; } = string.Empty;

    /// <summary>
    /// Stage parameters set on the command line for the run that builds the package, one <c>Stage.Parameter=value</c>
    /// each (bind it to <c>{overrides}</c>); recorded as the manifest's <c>overrides</c> object, which is left out when
    /// there are none.
    /// </summary>
    [StageParameter]
    public string[] Overrides { get; set; } = [];

    /// <summary>
    /// The approvals that let what is packaged through a gate, one JSON object each (bind it to <c>{approvals}</c>, which
    /// the engine fills in from the reviews); recorded as the manifest's <c>approvals</c> array, which is left out when
    /// there are none.
    /// </summary>
    [StageParameter]
    public string[] Approvals { get; set; } = [];

    /// <summary>
    /// The contract version the packaged model was built with (bind it to <c>{contract}</c>: the data contract's content
    /// hash); recorded as the manifest's <c>contract_version</c>, which is left out when empty.
    /// </summary>
    [StageParameter]
    public string ContractVersion { get; set; } = string.Empty;

    /// <summary>
    /// The file name of the packaged model card (one of <see cref="Files"/>, Markdown): when there are approvals, its
    /// copy in the package gets them as its <c>## Approvals</c> section (replacing the one it has, else added at its end).
    /// </summary>
    [StageParameter]
    public string? ModelCard { get; set; }

    /// <summary>The folder the package is written into (owned whole by this stage: it holds this package alone).</summary>
    [Required]
    [StageOutput(IsDirectory = true)]
    public string ArtifactsDirectory { get; set; } = string.Empty;

    [Output]
    [StageMetric]
    public long FilesPackaged { get; set; }

    /// <summary>The package folder's name, e.g. <c>model-0123456789abcdef</c>.</summary>
    [Output]
    public string PackageFolder { get; set; } = string.Empty;

    public override bool Execute()
    {
        var names = Files.Select(f => Path.GetFileName(f.ItemSpec)).ToList();
        var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            LogCodedError("CAIRN7001", $"Two files to package are both named '{duplicate.Key}'; a package holds one file per name. Rename one of them.");
            return false;
        }

        if (names.Contains("manifest.json", StringComparer.Ordinal))
        {
            LogCodedError("CAIRN7002", "A file to package is named manifest.json, which the package writes itself. Rename it.");
            return false;
        }

        if (!string.IsNullOrEmpty(ModelCard) && !names.Contains(ModelCard, StringComparer.Ordinal))
        {
            LogCodedError("CAIRN7005", $"ModelCard '{ModelCard}' is not the name of a file to package (they are {string.Join(", ", names)}); name the model card's file, e.g. model_card.md, or leave ModelCard out.");
            return false;
        }

        var approvals = ApprovalObjects();
        if (Log.HasLoggedErrors)
        {
            return false;
        }

        // The model card's copy carries the approvals; every other file is packaged as it is.
        var card = approvals.Count > 0 && !string.IsNullOrEmpty(ModelCard)
            ? Files.First(f => Path.GetFileName(f.ItemSpec) == ModelCard)
            : null;
        var cardBytes = card is null ? null : Utf8NoBom.GetBytes(WithApprovals(File.ReadAllText(card.ItemSpec, Utf8NoBom), approvals));
        var manifest = new JsonObject
        {
            ["name"] = Name,
            ["hash_algorithm"] = ContentHasher.Algorithm,
            ["files"] = new JsonArray(Files.OrderBy(f => Path.GetFileName(f.ItemSpec), StringComparer.Ordinal).Select(f => (JsonNode)new JsonObject
            {
                ["name"] = Path.GetFileName(f.ItemSpec),
                ["hash"] = f == card ? ContentHasher.HashBytes(cardBytes!).ToString() : ContentHasher.HashFile(f.ItemSpec).ToString(),
                ["bytes"] = f == card ? cardBytes!.Length : new FileInfo(f.ItemSpec).Length,
            }).ToArray()),
            ["lineage"] = new JsonArray(LineageEntries().Select(e => (JsonNode)new JsonObject { ["path"] = e.Path, ["hash"] = e.Hash }).ToArray()),
            ["parameters"] = ReadJson(ParametersFile, "parameters"),
            ["metrics"] = ReadJson(MetricsFile, null),
        };
        if (Overrides.Length > 0)
        {
            manifest["overrides"] = OverridesObject();
        }

        if (approvals.Count > 0)
        {
            manifest["approvals"] = new JsonArray([.. approvals]);
        }

        if (ContractVersion.Length > 0)
        {
            manifest["contract_version"] = ContractVersion;
        }

        if (Log.HasLoggedErrors)
        {
            return false;
        }

        var json = manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        var hash = ContentHasher.HashString(json).ToString();
        PackageFolder = $"{Name}-{hash[..16]}";
        var folder = Path.Combine(ArtifactsDirectory, PackageFolder);
        Directory.CreateDirectory(folder);
        foreach (var file in Files)
        {
            ThrowIfCancelled();
            if (file == card)
            {
                File.WriteAllBytes(Path.Combine(folder, Path.GetFileName(file.ItemSpec)), cardBytes!);
                continue;
            }

            File.Copy(file.ItemSpec, Path.Combine(folder, Path.GetFileName(file.ItemSpec)), overwrite: true);
        }

        File.WriteAllText(Path.Combine(folder, "manifest.json"), json, Utf8NoBom);
        FilesPackaged = Files.Length + 1;
        Log.LogMessage(MessageImportance.High, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"packaged {FilesPackaged:N0} files into {PackageFolder}"));
        return !Log.HasLoggedErrors;
    }

    /// <summary>The card's text with its <c>## Approvals</c> section (up to the next <c>## </c> heading) holding the approvals.</summary>
    private static string WithApprovals(string card, IReadOnlyList<JsonObject> approvals)
    {
        var section = new StringBuilder("## Approvals\n\nA person let this model through a gate that stopped it; the package records each approval:\n\n");
        foreach (var approval in approvals)
        {
            var partition = approval["partition"] is { } day ? $" {day}" : string.Empty;
            section.Append(System.Globalization.CultureInfo.InvariantCulture, $"- Review `{approval["review"]}` of {approval["stage"]}{partition}: approved by {approval["approved_by"]} at {approval["approved_at"]}: {approval["reason"]}\n");
            foreach (var breach in approval["breaches"]?.AsArray() ?? [])
            {
                section.Append(System.Globalization.CultureInfo.InvariantCulture, $"  - stopped on: {breach}\n");
            }
        }

        var text = card.Replace("\r\n", "\n", StringComparison.Ordinal);
        var start = text.StartsWith("## Approvals\n", StringComparison.Ordinal) ? 0
            : text.IndexOf("\n## Approvals\n", StringComparison.Ordinal) is var at and >= 0 ? at + 1
            : -1;
        if (start < 0)
        {
            return text.TrimEnd('\n') + "\n\n" + section;
        }

        var next = text.IndexOf("\n## ", start, StringComparison.Ordinal);
        return next < 0 ? text[..start] + section : text[..start] + section + text[next..];
    }

    /// <summary>The approvals as JSON objects; one that is not a JSON object is an error naming the binding.</summary>
    private List<JsonObject> ApprovalObjects()
    {
        var approvals = new List<JsonObject>();
        foreach (var text in Approvals)
        {
            try
            {
                if (JsonNode.Parse(text) is JsonObject approval)
                {
                    approvals.Add(approval);
                    continue;
                }
            }
            catch (JsonException)
            {
                // Reported below with the fix.
            }

            Log.LogError(null, "CAIRN7006", null, null, 0, 0, 0, 0, "Approval '{0}' is not a JSON object; bind Approvals to {{approvals}} in the pipeline file, which the engine fills in.", text);
        }

        return approvals;
    }

    private JsonObject OverridesObject()
    {
        var overrides = new JsonObject();
        foreach (var setting in Overrides.Order(StringComparer.Ordinal))
        {
            var equals = setting.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                Log.LogError(null, "CAIRN7004", null, null, 0, 0, 0, 0, "Override '{0}' is not Stage.Parameter=value; bind Overrides to {{overrides}} in the pipeline file, which the engine fills in.", setting);
                continue;
            }

            overrides[setting[..equals]] = setting[(equals + 1)..];
        }

        return overrides;
    }

    /// <summary>Lineage paths relative to the parent of the files' common folder: stable wherever the workspace is.</summary>
    private List<(string Path, string Hash)> LineageEntries()
    {
        if (Lineage.Length == 0)
        {
            return [];
        }

        var full = Lineage.Select(l => Path.GetFullPath(l.ItemSpec)).ToList();
        var common = Path.GetDirectoryName(full[0])!;
        while (!full.All(f => f.StartsWith(common + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
        {
            common = Path.GetDirectoryName(common)!;
        }

        var anchor = Path.GetDirectoryName(common) ?? common;
        return full
            .Select(f => (Path: Path.GetRelativePath(anchor, f).Replace('\\', '/'), Hash: ContentHasher.HashFile(f).ToString()))
            .OrderBy(e => e.Path, StringComparer.Ordinal)
            .ToList();
    }

    private JsonNode? ReadJson(string? path, string? property)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        try
        {
            var node = JsonNode.Parse(File.ReadAllText(path, Utf8NoBom));
            if (property is not null && node is JsonObject o && o[property] is { } inner)
            {
                return inner.DeepClone();
            }

            return node;
        }
        catch (JsonException e)
        {
            LogCodedError("CAIRN7003", $"{path} is not valid JSON ({e.Message}); the stage that writes it must produce JSON.", path);
            return null;
        }
    }
}
