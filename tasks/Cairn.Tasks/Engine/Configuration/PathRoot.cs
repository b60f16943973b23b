namespace Cairn.Engine.Configuration;

/// <summary>Where a path template is anchored.</summary>
internal enum PathRoot
{
    /// <summary>The workspace (<c>--workspace</c>): everything a run produces.</summary>
    Workspace,

    /// <summary>The raw landing zone (<c>--raw</c>), written as <c>{raw}/…</c>.</summary>
    Raw,

    /// <summary>The pipeline's own folder (config files), written as <c>{pipeline}/…</c>.</summary>
    Pipeline,

    /// <summary>A read-only folder the pipeline file names under <c>roots:</c>, written as <c>{name}/…</c>.</summary>
    Named,
}
