namespace Cairn.Engine.Configuration;

/// <summary>A parameter as written in a pipeline or parameters file: one scalar, or a list of scalars.</summary>
internal sealed record ParameterValue(string? Scalar, IReadOnlyList<string>? List, string Source)
{
    public static ParameterValue Of(string scalar, string source) => new(scalar, null, source);

    public static ParameterValue OfList(IReadOnlyList<string> list, string source) => new(null, list, source);
}
