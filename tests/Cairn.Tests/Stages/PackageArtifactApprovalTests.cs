using System.Text.Json.Nodes;
using Cairn.Stages.Common;
using Cairn.Tests.Support;
using Microsoft.Build.Utilities;

namespace Cairn.Tests.Stages;

/// <summary>
/// PackageArtifact's approvals on real files: recorded in manifest.json and in the packaged model card's Approvals
/// section (replacing the one it has, added when it has none), the source card untouched; a ModelCard that names no
/// packaged file and an approval that is not JSON are coded errors.
/// </summary>
public sealed class PackageArtifactApprovalTests : IDisposable
{
    private const string Approval = "{\"review\":\"r-0123abcd\",\"stage\":\"Evaluate\",\"approved_by\":\"alice\",\"approved_at\":\"2026-12-03T00:18:18Z\",\"reason\":\"accepted for the demo\",\"breaches\":[\"CAIRN5001: auc 0.90 is below min_auc 0.99\"]}";

    private readonly TestEnvironment _env = new();
    private readonly RecordingBuildEngine _engine = new();

    [Fact]
    public void The_approval_replaces_the_cards_approvals_section_and_is_in_the_manifest_with_the_packaged_cards_hash()
    {
        var card = _env.WriteFile("in/model_card.md", "# Card\n\n## Approvals\n\nNone.\n\n## Notes\n\nKept.\n");
        var package = Package(card, [Approval]);

        package.Execute().ShouldBeTrue(_engine.Log);

        var folder = Path.Combine(_env.PathOf("out"), package.PackageFolder);
        var packaged = File.ReadAllText(Path.Combine(folder, "model_card.md"));
        packaged.ShouldBe("# Card\n\n## Approvals\n\nA person let this model through a gate that stopped it; the package records each approval:\n\n- Review `r-0123abcd` of Evaluate: approved by alice at 2026-12-03T00:18:18Z: accepted for the demo\n  - stopped on: CAIRN5001: auc 0.90 is below min_auc 0.99\n\n## Notes\n\nKept.\n");
        File.ReadAllText(card).ShouldContain("None.", customMessage: "the card the upstream stage wrote is left as it is");
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")))!;
        manifest["approvals"]!.ToJsonString().ShouldBe("[" + Approval + "]");
        var entry = manifest["files"]!.AsArray().Single(f => (string?)f!["name"] == "model_card.md")!;
        ((string?)entry["hash"]).ShouldBe(Cairn.Hashing.ContentHasher.HashFile(Path.Combine(folder, "model_card.md")).ToString());
    }

    [Fact]
    public void A_card_without_an_approvals_section_gets_one_at_its_end_and_no_approvals_leave_card_and_manifest_as_they_were()
    {
        var card = _env.WriteFile("in/model_card.md", "# Card\n\nText.\n");
        var approved = Package(card, [Approval]);
        approved.Execute().ShouldBeTrue(_engine.Log);
        var plain = Package(card, []);
        plain.Execute().ShouldBeTrue(_engine.Log);

        File.ReadAllText(Path.Combine(_env.PathOf("out"), approved.PackageFolder, "model_card.md")).ShouldStartWith("# Card\n\nText.\n\n## Approvals\n\nA person let this model through");
        var plainFolder = Path.Combine(_env.PathOf("out"), plain.PackageFolder);
        File.ReadAllText(Path.Combine(plainFolder, "model_card.md")).ShouldBe("# Card\n\nText.\n");
        JsonNode.Parse(File.ReadAllText(Path.Combine(plainFolder, "manifest.json")))!.AsObject().ContainsKey("approvals").ShouldBeFalse();
        plain.PackageFolder.ShouldNotBe(approved.PackageFolder);
    }

    [Fact]
    public void A_model_card_that_is_not_packaged_and_an_approval_that_is_not_json_are_coded_errors()
    {
        var card = _env.WriteFile("in/model_card.md", "# Card\n");
        var unknownCard = Package(card, [Approval]);
        unknownCard.ModelCard = "card.md";
        unknownCard.Execute().ShouldBeFalse();
        var notJson = Package(card, ["review=r-1"]);
        notJson.Execute().ShouldBeFalse();

        _engine.AssertError("CAIRN7005").ShouldBe("CAIRN7005: ModelCard 'card.md' is not the name of a file to package (they are model_card.md); name the model card's file, e.g. model_card.md, or leave ModelCard out.");
        _engine.AssertError("CAIRN7006").ShouldBe("CAIRN7006: Approval 'review=r-1' is not a JSON object; bind Approvals to {approvals} in the pipeline file, which the engine fills in.");
    }

    public void Dispose() => _env.Dispose();

    private PackageArtifact Package(string card, string[] approvals) => new()
    {
        BuildEngine = _engine,
        Files = [new TaskItem(card)],
        Name = "model",
        Approvals = approvals,
        ModelCard = "model_card.md",
        ArtifactsDirectory = _env.PathOf("out"),
    };
}
