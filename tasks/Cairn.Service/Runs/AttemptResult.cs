namespace Cairn.Service.Runs;

/// <summary>How one attempt ended, and why when it did not succeed.</summary>
internal sealed record AttemptResult(AttemptStatus Status, string? Failure)
{
    public string RecordedStatus => Status switch
    {
        AttemptStatus.Succeeded => "succeeded",
        AttemptStatus.Failed => "failed",
        AttemptStatus.Cancelled => "cancelled",
        AttemptStatus.Held => "held",
        _ => "refused",
    };
}
