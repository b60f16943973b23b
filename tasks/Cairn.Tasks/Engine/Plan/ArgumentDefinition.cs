namespace Cairn.Engine.Plan;

/// <summary>
/// One command-line argument: its name, the form of its value, how it is read and what it means. The parser, the
/// help text and the README's table all come from <see cref="RunArguments.Definitions"/>, so they cannot disagree.
/// </summary>
/// <param name="Name">The name without dashes, e.g. <c>partition</c>.</param>
/// <param name="Value">The value's form, e.g. <c>YYYY-MM-DD</c>; null for a switch.</param>
/// <param name="Kind">How the value is read.</param>
/// <param name="Meaning">One sentence a person reads; code in backticks (Markdown), which the help text drops.</param>
internal sealed record ArgumentDefinition(string Name, string? Value, ArgumentKind Kind, string Meaning)
{
    /// <summary>As a person types it: <c>--partition=YYYY-MM-DD</c>, <c>--keep-going</c>, <c>--force[=Stage,…]</c>.</summary>
    public string Usage => Kind switch
    {
        ArgumentKind.Switch => $"--{Name}",
        ArgumentKind.SwitchOrList => $"--{Name}[={Value}]",
        _ => $"--{Name}={Value}",
    };

    /// <summary>The meaning as plain text, without Markdown's backticks.</summary>
    public string PlainMeaning => Meaning.Replace("`", string.Empty, StringComparison.Ordinal);
}
