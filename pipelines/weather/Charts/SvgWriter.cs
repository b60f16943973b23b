using System.Globalization;
using System.Text;
using System.Xml;

namespace Cairn.Pipelines.Weather.Charts;

/// <summary>
/// Writes a small SVG document: rectangles, lines, polylines, circles and text. An <see cref="XmlWriter"/> does the
/// escaping, so the document is well-formed whatever the labels hold; numbers are culture-invariant with at most two
/// decimals, and lines end in LF, so the same chart is the same bytes on every machine.
/// </summary>
internal sealed class SvgWriter
{
    private const string Namespace = "http://www.w3.org/2000/svg";
    private readonly StringBuilder _text = new();
    private readonly XmlWriter _xml;
    private bool _finished;

    public SvgWriter(double width, double height, string title)
    {
        _xml = XmlWriter.Create(_text, new XmlWriterSettings
        {
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\n",
            NewLineHandling = NewLineHandling.Replace,
            OmitXmlDeclaration = true,
        });
        _xml.WriteStartElement("svg", Namespace);
        Attribute("width", width);
        Attribute("height", height);
        _xml.WriteAttributeString("viewBox", $"0 0 {Number(width)} {Number(height)}");
        _xml.WriteAttributeString("role", "img");
        _xml.WriteAttributeString("font-family", "DejaVu Sans, Helvetica, Arial, sans-serif");
        _xml.WriteElementString("title", Namespace, title);
        Rect(0, 0, width, height, "#ffffff");
    }

    /// <summary>Culture-invariant, at most two decimals, never "-0".</summary>
    public static string Number(double value)
    {
        var rounded = Math.Round(value, 2, MidpointRounding.AwayFromZero);
        return (rounded == 0 ? 0 : rounded).ToString("0.##", CultureInfo.InvariantCulture);
    }

    public void Rect(double x, double y, double width, double height, string fill, string? tooltip = null)
    {
        _xml.WriteStartElement("rect", Namespace);
        Attribute("x", x);
        Attribute("y", y);
        Attribute("width", Math.Max(0, width));
        Attribute("height", Math.Max(0, height));
        _xml.WriteAttributeString("fill", fill);
        Tooltip(tooltip);
        _xml.WriteEndElement();
    }

    public void Line(double x1, double y1, double x2, double y2, string stroke, double width = 1, string? dash = null)
    {
        _xml.WriteStartElement("line", Namespace);
        Attribute("x1", x1);
        Attribute("y1", y1);
        Attribute("x2", x2);
        Attribute("y2", y2);
        _xml.WriteAttributeString("stroke", stroke);
        Attribute("stroke-width", width);
        if (dash is not null)
        {
            _xml.WriteAttributeString("stroke-dasharray", dash);
        }

        _xml.WriteEndElement();
    }

    public void Polyline(IEnumerable<(double X, double Y)> points, string stroke, double width = 2)
    {
        _xml.WriteStartElement("polyline", Namespace);
        _xml.WriteAttributeString("points", string.Join(" ", points.Select(p => $"{Number(p.X)},{Number(p.Y)}")));
        _xml.WriteAttributeString("fill", "none");
        _xml.WriteAttributeString("stroke", stroke);
        Attribute("stroke-width", width);
        _xml.WriteEndElement();
    }

    public void Circle(double x, double y, double radius, string fill, string? tooltip = null)
    {
        _xml.WriteStartElement("circle", Namespace);
        Attribute("cx", x);
        Attribute("cy", y);
        Attribute("r", radius);
        _xml.WriteAttributeString("fill", fill);
        Tooltip(tooltip);
        _xml.WriteEndElement();
    }

    public void Text(double x, double y, string text, SvgAnchor anchor = SvgAnchor.Start, double size = 12, string fill = "#333333", bool bold = false)
    {
        _xml.WriteStartElement("text", Namespace);
        Attribute("x", x);
        Attribute("y", y);
        Attribute("font-size", size);
        _xml.WriteAttributeString("fill", fill);
        if (anchor != SvgAnchor.Start)
        {
            _xml.WriteAttributeString("text-anchor", anchor == SvgAnchor.Middle ? "middle" : "end");
        }

        if (bold)
        {
            _xml.WriteAttributeString("font-weight", "bold");
        }

        _xml.WriteString(text);
        _xml.WriteEndElement();
    }

    /// <summary>Closes the document and returns it, ending in a line break.</summary>
    public override string ToString()
    {
        if (!_finished)
        {
            _xml.WriteEndElement();
            _xml.Flush();
            _xml.Dispose();
            _text.Append('\n');
            _finished = true;
        }

        return _text.ToString();
    }

    private void Attribute(string name, double value) => _xml.WriteAttributeString(name, Number(value));

    private void Tooltip(string? tooltip)
    {
        if (tooltip is not null)
        {
            _xml.WriteElementString("title", Namespace, tooltip);
        }
    }
}
