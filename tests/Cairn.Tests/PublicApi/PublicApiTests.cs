using Cairn.Tests.Reporting;
using PublicApiGenerator;

namespace Cairn.Tests.PublicApi;

/// <summary>
/// Cairn.Tasks's public surface, approved: a host's entry (CairnSession) and the exceptions it catches, the stage
/// contract, the built-in stages and data contracts. A change shows here as a diff to approve, so it happens only on
/// purpose.
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void The_public_surface_is_the_approved_one()
    {
        var api = typeof(CairnSession).Assembly.GeneratePublicApi(new ApiGeneratorOptions
        {
            // Which assemblies see the internals and which framework it was built for are not part of what a user calls.
            ExcludeAttributes = ["System.Runtime.CompilerServices.InternalsVisibleToAttribute", "System.Runtime.Versioning.TargetFrameworkAttribute"],
        });

        Approved.ShouldMatch(api.ReplaceLineEndings("\n") + "\n", "tests/Cairn.Tests/PublicApi/Cairn.Tasks.expected.txt");
    }
}
