using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Cairn.Tests.Modelling;

/// <summary>Reads one of the sample pipeline's config files (pipelines/weather/config/*.yaml) the way tests need it.</summary>
internal sealed class PipelineConfig
{
    private readonly YamlMappingNode _root;

    private PipelineConfig(string name, YamlMappingNode root)
    {
        Name = name;
        _root = root;
    }

    public string Name { get; }

    public static PipelineConfig Read(string fileName)
    {
        var path = SampleFeatures.PathInRepository(Path.Combine("pipelines", "weather", "config", fileName));
        using var reader = new StreamReader(path);
        var stream = new YamlStream();
        stream.Load(reader);
        return new PipelineConfig(fileName, (YamlMappingNode)stream.Documents[0].RootNode);
    }

    public IReadOnlyList<string> Keys => _root.Children.Keys.Select(key => ((YamlScalarNode)key).Value!).ToArray();

    public string String(string key) => ((YamlScalarNode)Node(key)).Value!;

    public double Double(string key) => double.Parse(String(key), NumberStyles.Float, CultureInfo.InvariantCulture);

    public int Int(string key) => int.Parse(String(key), NumberStyles.Integer, CultureInfo.InvariantCulture);

    public string[] Strings(string key) => ((YamlSequenceNode)Node(key)).Children.Select(child => ((YamlScalarNode)child).Value!).ToArray();

    private YamlNode Node(string key) =>
        _root.Children.TryGetValue(new YamlScalarNode(key), out var node)
            ? node
            : throw new KeyNotFoundException($"{Name} has no key '{key}'");
}
