namespace Cairn.Engine.Hosting;

/// <summary>How a hosted stage task ended: success with its metrics, or failure with the cause a person reads.</summary>
internal sealed record StageOutcome(bool Succeeded, string? Failure, Exception? Exception, IReadOnlyDictionary<string, double> Metrics);
