namespace Cairn.Engine.Configuration;

/// <summary>A setting as the pipeline file gives it: its text, the key as a person finds it (<c>slurm.time</c>) and where (<c>path:line</c>), for messages that name both.</summary>
internal sealed record ConfiguredValue(string Text, string Key, string Where)
{
    /// <summary>How a message names it, before <c>=VALUE</c>: <c>/…/pipeline.yaml:12: slurm.time</c>.</summary>
    public string Source => $"{Where}: {Key}";
}
