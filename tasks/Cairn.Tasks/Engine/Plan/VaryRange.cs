using System.Globalization;
using System.Numerics;
using Cairn.Engine.Configuration;

namespace Cairn.Engine.Plan;

/// <summary>
/// A parameter a retry varies (<c>retry.vary: {seed: 1}</c>) must stay within its type over every attempt: seed
/// 2147483647 with a step of 1 would overflow an int on the second attempt, mid-run. Checked when the pipeline loads.
/// </summary>
internal static class VaryRange
{
    /// <returns>The problem, naming the parameter, its source and the range it must keep to; null when every attempt's value fits.</returns>
    public static string? Problem(StageDefinition stage, Type type, ParameterValue value)
    {
        var policy = stage.Retry;
        if (policy.VaryParameter is not { } name || value.Scalar is null
            || !long.TryParse(value.Scalar, NumberStyles.Integer, CultureInfo.InvariantCulture, out var first))
        {
            return null;
        }

        var (min, max) = type == typeof(int) ? ((BigInteger)int.MinValue, (BigInteger)int.MaxValue) : ((BigInteger)long.MinValue, (BigInteger)long.MaxValue);
        var last = first + ((BigInteger)policy.VaryStep * (policy.Attempts - 1));
        if (last >= min && last <= max)
        {
            return null;
        }

        var bound = last > max ? max - ((BigInteger)policy.VaryStep * (policy.Attempts - 1)) : min - ((BigInteger)policy.VaryStep * (policy.Attempts - 1));
        return string.Create(CultureInfo.InvariantCulture, $"{value.Source}: stage '{stage.Name}' parameter '{name}' is {first}, and retry.vary adds {policy.VaryStep} on each of {policy.Attempts - 1} retries, reaching {last}, outside the range of {type.Name} ({min} to {max}); give '{name}' a value {(last > max ? "of at most" : "of at least")} {bound}.");
    }
}
