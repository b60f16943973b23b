using Cairn.Engine.Configuration;
using Cairn.Engine.Plan;

namespace Cairn.Tests.Engine;

/// <summary>
/// A template cut at its placeholders once (<see cref="ResolvedTemplate"/>) must bind the very paths that filling in
/// <see cref="PathTemplate.Expand"/> and combining with the root give, whatever the template and the partition hold:
/// every fingerprint and checkpoint of a workspace names them.
/// </summary>
public sealed class ResolvedTemplateTests
{
    [Theory]
    [InlineData("data/upper/date={date}/upper.txt")]
    [InlineData("{raw}/date={partition}/part.csv")]
    [InlineData("{reference}/lookup-{partition}-{date}-{each}.csv")]
    [InlineData("{pipeline}/config/contract.yaml")]
    [InlineData("{date}/in.txt")]
    [InlineData("x{date}")]
    [InlineData("ab{each}")]
    [InlineData("data/{each}{each}/{date}")]
    public void A_bound_path_is_the_template_filled_in_and_combined_with_its_root(string text)
    {
        PathTemplate.TryParse(text, out var template, out var problem).ShouldBeTrue(problem);
        foreach (var root in new[] { "/ws", "/ws/", "relative/root", string.Empty })
        {
            var resolved = new ResolvedTemplate("Input", template!, root, template!.Prefix);
            foreach (var partition in new[] { "2013-05-01", "a", "{date}", "{partition}x", "x{each}", "}", "é/ü" })
            {
                var relative = template.Expand(partition);

                resolved.Bind(partition).ShouldBe(new BoundFile("Input", template.Prefix + relative, Path.Combine(root, relative)), $"{text} at {root} for {partition}");
            }

            resolved.Bind(null).ShouldBe(new BoundFile("Input", template.Prefix + template.Relative, Path.Combine(root, template.Relative)));
        }
    }
}
