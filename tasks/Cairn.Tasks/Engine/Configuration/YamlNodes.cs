using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cairn.Engine.Configuration;

/// <summary>Small helpers over YamlDotNet's representation model that turn shape errors into messages naming file and line.</summary>
internal static class YamlNodes
{
    public static YamlMappingNode LoadMapping(string path)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new CairnConfigurationException($"{path}:{e.Start.Line}: not valid YAML: {e.Message}", e);
        }

        if (stream.Documents.Count == 0)
        {
            return new YamlMappingNode();
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new CairnConfigurationException($"{path}:1: expected a mapping of keys to values at the top level.");
        }

        return root;
    }

    public static string Where(string path, YamlNode node) => $"{path}:{node.Start.Line}";

    public static IEnumerable<(string Key, YamlNode Value, YamlNode KeyNode)> Entries(YamlMappingNode mapping, string path)
    {
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode scalar || scalar.Value is null)
            {
                throw new CairnConfigurationException($"{Where(path, key)}: keys must be plain names.");
            }

            yield return (scalar.Value, value, key);
        }
    }

    public static string Scalar(YamlNode node, string path, string key)
    {
        if (node is YamlScalarNode scalar && scalar.Value is not null)
        {
            return scalar.Value;
        }

        throw new CairnConfigurationException($"{Where(path, node)}: '{key}' must be a single value.");
    }

    public static YamlMappingNode Mapping(YamlNode node, string path, string key) =>
        node as YamlMappingNode ?? throw new CairnConfigurationException($"{Where(path, node)}: '{key}' must be a mapping of names to values.");

    public static bool Boolean(YamlNode node, string path, string key)
    {
        var text = Scalar(node, path, key);
        return text switch
        {
            "true" or "True" or "yes" => true,
            "false" or "False" or "no" => false,
            _ => throw new CairnConfigurationException($"{Where(path, node)}: '{key}' must be true or false, not '{text}'."),
        };
    }

    /// <summary>Reads a parameter value: a scalar or a sequence of scalars.</summary>
    public static ParameterValue Parameter(YamlNode node, string path, string key)
    {
        var source = $"{Where(path, node)} ({key})";
        return node switch
        {
            YamlScalarNode { Value: not null } scalar => ParameterValue.Of(scalar.Value, source),
            YamlSequenceNode sequence => ParameterValue.OfList(sequence.Children.Select(child => Scalar(child, path, key)).ToList(), source),
            _ => throw new CairnConfigurationException($"{Where(path, node)}: parameter '{key}' must be a value or a list of values."),
        };
    }
}
