namespace Cairn.Pipelines.Weather;

/// <summary>A features file that cannot be read as the stage needs it; the message names the file and what is wrong.</summary>
internal sealed class FeatureFileException : Exception
{
    public FeatureFileException()
    {
    }

    public FeatureFileException(string message)
        : base(message)
    {
    }

    public FeatureFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
