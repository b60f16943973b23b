namespace Cairn.Engine.Configuration;

/// <summary>
/// A stage's <c>publish:</c>: after a run in which the stage ran succeeds, each folder of its directory output is
/// published as a version into <see cref="To"/> (never replacing an earlier one) and <c>LATEST</c> there names it.
/// With <see cref="Keep"/>, the oldest versions beyond that many are removed, never the one <c>LATEST</c> names.
/// </summary>
/// <param name="To">The workspace-relative folder of the versions, e.g. <c>artifacts</c>.</param>
/// <param name="Keep">How many versions to keep; all when null.</param>
internal sealed record PublishPolicy(string To, int? Keep);
