namespace Cairn.Engine.Configuration;

/// <summary>
/// One entry of a pipeline file's <c>notify:</c> list: where events go (a webhook URL, which may name environment
/// variables as <c>${NAME}</c>, or a shell command), which events, and how long a delivery may take in all.
/// </summary>
internal sealed record NotifierDefinition(
    NotifierKind Kind,
    string Target,
    IReadOnlySet<string> Events,
    TimeSpan Budget,
    int Attempts,
    string Source);
