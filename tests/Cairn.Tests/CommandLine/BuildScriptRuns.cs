namespace Cairn.Tests.CommandLine;

/// <summary>Tests that run <c>./build.sh</c> share one collection: they run one after another, so only one of them pays for the Release build.</summary>
[CollectionDefinition(Name)]
public sealed class BuildScriptRuns
{
    public const string Name = "build.sh";
}
