namespace Cairn.Engine.Plan;

/// <summary>
/// What binding a stage's cells takes that is the same for every cell of a run, worked out for its first cell: its
/// paths resolved against their roots, and its parameters with this run's <c>--set</c> values in their place.
/// </summary>
/// <param name="Inputs">The input paths in the order a cell binds them: by the task's declaration, then as the pipeline file lists them.</param>
/// <param name="Outputs">The output paths, by the task's declaration; a stage that fans out has the folder it writes into.</param>
/// <param name="Parameters">The parameters as the pipeline binds them, <c>--set</c> values in their place, with the type of the task's property.</param>
/// <param name="AddsSelection">Whether the fingerprint holds the run's selection though no parameter is bound to it (a stage that fans out).</param>
internal sealed record StageTemplates(
    IReadOnlyList<ResolvedTemplate> Inputs,
    IReadOnlyList<ResolvedTemplate> Outputs,
    IReadOnlyList<(string Name, Configuration.ParameterValue Value, Type Type)> Parameters,
    bool AddsSelection)
{
    /// <summary>How many <see cref="Inputs"/> expand to one path per partition of the stage's <c>reads:</c> window.</summary>
    public int EachInputs { get; } = Inputs.Count(t => t.UsesEach);

    /// <summary>The names of the values a cell's task is given (every parameter), in ordinal order: <see cref="ParameterMap{TValue}"/>'s.</summary>
    public string[] ValueNames { get; } = Sorted(Parameters.Select(p => p.Name));

    /// <summary>
    /// The names of a cell's canonical texts (what its fingerprint and checkpoint hold), in ordinal order: every
    /// parameter but one bound to <c>{run}</c>, and <c>{selection}</c> when <see cref="AddsSelection"/>.
    /// </summary>
    public string[] TextNames { get; } = Sorted(Parameters.Where(p => p.Value.Scalar != ParameterConverter.RunPlaceholder).Select(p => p.Name)
        .Concat(AddsSelection ? [ParameterConverter.SelectionPlaceholder] : []));

    private static string[] Sorted(IEnumerable<string> names)
    {
        var sorted = names.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        return sorted;
    }
}
