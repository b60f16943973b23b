namespace Cairn.Engine.Notifications;

/// <summary>One row of the run's stage table in a notification.</summary>
internal sealed record NotifiedStage(string Stage, int Cells, int Ran, int Skipped, int Failed, double Seconds);
