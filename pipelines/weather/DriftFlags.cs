namespace Cairn.Pipelines.Weather;

/// <summary>The words a feature's drift is flagged with, as written to drift_report.json and drift_report.md.</summary>
internal static class DriftFlags
{
    public const string Stable = "stable";

    public const string Warn = "warn";

    public const string Alert = "alert";
}
