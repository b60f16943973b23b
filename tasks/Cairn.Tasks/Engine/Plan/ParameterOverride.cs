using Cairn.Engine.Configuration;

namespace Cairn.Engine.Plan;

/// <summary>
/// One stage parameter set on the command line (<c>--set=Train.l2=0.5</c>): the stage, the task's property it sets,
/// the value as given (its <see cref="ParameterValue.Source"/> is the argument, for messages) and its canonical text,
/// as fingerprints and checkpoints hold it (<c>0.5</c>).
/// </summary>
internal sealed record ParameterOverride(string Stage, string Parameter, ParameterValue Value, string Canonical)
{
    /// <summary>As the run log, the package manifest and the <c>{overrides}</c> parameter name it: <c>Train.L2</c>.</summary>
    public string Key => $"{Stage}.{Parameter}";
}
