namespace Cairn.Engine.Reporting;

/// <summary>
/// Whether text for a stream gets colour codes: only on a terminal, unless <c>FORCE_COLOR</c> asks for them anyway
/// (any value but empty, <c>0</c> or <c>false</c>) or <c>NO_COLOR</c> (any non-empty value) or <c>TERM=dumb</c> turns
/// them off. FORCE_COLOR wins over NO_COLOR: the bootstrappers set NO_COLOR in CI, and FORCE_COLOR is how a user
/// overrides that.
/// </summary>
internal static class ConsoleColours
{
    public static bool Enabled(Func<string, string?> variable, bool terminal)
    {
        if (variable("FORCE_COLOR") is { Length: > 0 } force)
        {
            return force != "0" && !string.Equals(force, "false", StringComparison.OrdinalIgnoreCase);
        }

        if (!string.IsNullOrEmpty(variable("NO_COLOR")) || string.Equals(variable("TERM"), "dumb", StringComparison.Ordinal))
        {
            return false;
        }

        return terminal;
    }
}
