namespace Cairn.Engine.Configuration;

/// <summary>A pipeline or parameters file that cannot be used as written. The message names the file, line and fix.</summary>
internal sealed class CairnConfigurationException : Exception
{
    public CairnConfigurationException(string message)
        : base(message)
    {
    }

    public CairnConfigurationException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public CairnConfigurationException()
    {
    }
}
