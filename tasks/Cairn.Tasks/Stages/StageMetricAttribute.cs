namespace Cairn.Stages;

/// <summary>
/// Marks a stage task property (<c>long</c> or <c>double</c>, usually also <c>[Output]</c>) as a metric
/// the stage reports, such as rows in, rows out or rows quarantined. The engine reads it after
/// <c>Execute</c> and records it in the checkpoint.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class StageMetricAttribute : Attribute
{
}
