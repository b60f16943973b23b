namespace Cairn.Pipelines.Weather;

/// <summary>The drift flags' thresholds as written to drift_report.json (from config/evaluate.yaml).</summary>
internal sealed record DriftThresholds
{
    public required double PsiWarn { get; init; }

    public required double PsiAlert { get; init; }

    public required double KsAlert { get; init; }

    /// <summary>The level PSI alone reaches: alert, warn or stable.</summary>
    public string PsiLevel(double psi) => psi >= PsiAlert ? DriftFlags.Alert : psi >= PsiWarn ? DriftFlags.Warn : DriftFlags.Stable;

    /// <summary>The level KS alone reaches: alert or stable (KS has no warning threshold).</summary>
    public string KsLevel(double ks) => ks >= KsAlert ? DriftFlags.Alert : DriftFlags.Stable;

    /// <summary>A feature's flag: the higher of the levels its PSI and KS reach.</summary>
    public string FlagOf(double psi, double ks) =>
        PsiLevel(psi) == DriftFlags.Alert || KsLevel(ks) == DriftFlags.Alert ? DriftFlags.Alert : PsiLevel(psi);
}
