using Cairn.Tests.Support;
using SkiaSharp;
using Svg.Skia;

namespace Cairn.Tests.Reporting;

/// <summary>
/// Turns a chart's SVG into pixels to look at: with Svg.Skia (restored by NuGet, so the checks run anywhere the SDK
/// does), or with the real rsvg-convert (Debian's librsvg2-bin, what the charts are viewed with on most Linux desks)
/// when it is installed. Both write a PNG file that <see cref="PngImage"/> reads, so the same checks apply to either.
/// </summary>
internal static class SvgChartRenderer
{
    public const string RsvgConvertMissing = "needs rsvg-convert: apt-get install librsvg2-bin";

    public static bool RsvgConvertInstalled => Processes.Run("/bin/sh", ["-c", "command -v rsvg-convert"], Repository.Root).ExitCode == 0;

    public static PngImage WithSkia(TestEnvironment env, string svg)
    {
        var target = env.PathOf("chart.skia.png");
        using (var picture = SKSvg.CreateFromSvg(svg))
        {
            // Transparent background and scale 1, as rsvg-convert renders by default.
            picture.Save(target, SKColors.Empty, SKEncodedImageFormat.Png, quality: 100, scaleX: 1, scaleY: 1).ShouldBeTrue("Svg.Skia rendered the chart");
        }

        return PngImage.Read(target);
    }

    public static PngImage WithRsvgConvert(TestEnvironment env, string svg)
    {
        var source = env.WriteFile("chart.svg", svg);
        var target = env.PathOf("chart.rsvg.png");
        Processes.Run("rsvg-convert", ["--format=png", $"--output={target}", source], env.Root, timeoutSeconds: 60).ShouldExitWith(0);
        return PngImage.Read(target);
    }
}
