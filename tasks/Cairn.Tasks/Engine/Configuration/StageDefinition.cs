namespace Cairn.Engine.Configuration;

/// <summary>One stage of a pipeline file: which task runs it and how its properties are bound.</summary>
internal sealed record StageDefinition(
    string Name,
    string TaskTypeName,
    bool Partitioned,
    IReadOnlyDictionary<string, IReadOnlyList<PathTemplate>> Inputs,
    IReadOnlyDictionary<string, PathTemplate> Outputs,
    IReadOnlyDictionary<string, ParameterValue> Parameters)
{
    /// <summary>How the stage's cells retry; one attempt unless the pipeline file says otherwise.</summary>
    public RetryPolicy Retry { get; init; } = RetryPolicy.None;

    /// <summary>How long one attempt of one cell may take; none when null.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>What the stage does, in a line (<c>description:</c>); the host shows it beside the stage's target.</summary>
    public string? Description { get; init; }

    /// <summary>Where the stage's directory output is published after a successful run (<c>publish:</c>); none when null.</summary>
    public PublishPolicy? Publish { get; init; }

    /// <summary>
    /// Error codes that stop the stage at a gate a person may open (<c>review_on:</c>): a failure with only these codes
    /// files a review, and once it is approved the same cell (same fingerprint) passes.
    /// </summary>
    public IReadOnlyList<string> ReviewOn { get; init; } = [];

    /// <summary>Which partitions the stage's <c>{each}</c> inputs expand to (<c>reads:</c>); every partition unless the pipeline file says otherwise.</summary>
    public ReadWindow Reads { get; init; } = ReadWindow.All;

    /// <summary>
    /// Whether the stage's one cell writes the pipeline's partitions (<c>fans_out: true</c>): one file per partition
    /// in the folder of its output that names <c>{partition}</c> (<see cref="FanOut"/>).
    /// </summary>
    public bool FansOut { get; init; }

    /// <summary>The output holding the partitions of a stage that fans out, as the loader checked it; null for any other stage.</summary>
    public Partitions.FanOutLayout? FanOut { get; init; }
}
