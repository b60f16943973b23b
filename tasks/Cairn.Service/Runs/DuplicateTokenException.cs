namespace Cairn.Service.Runs;

/// <summary>A run was asked for with a run token that an earlier request already used.</summary>
internal sealed class DuplicateTokenException : Exception
{
    public DuplicateTokenException(string token, string existingRunId)
        : base($"The run token '{token}' was already used by run {existingRunId}; a token starts one run. Ask GET /api/runs/{existingRunId} for it, or send another token.") =>
        ExistingRunId = existingRunId;

    public DuplicateTokenException()
    {
        ExistingRunId = string.Empty;
    }

    public DuplicateTokenException(string message, Exception inner)
        : base(message, inner)
    {
        ExistingRunId = string.Empty;
    }

    public string ExistingRunId { get; }
}
