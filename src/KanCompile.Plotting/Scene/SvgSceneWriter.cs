using System.Globalization;
using System.Text;
using System.Xml;

namespace KanCompile.Plotting.Scene;

/// <summary>Writes a <see cref="DiagramScene"/> as a plain, self-contained SVG document.</summary>
internal static class SvgSceneWriter
{
    private const string SvgNamespace = "http://www.w3.org/2000/svg";

    /// <summary>Font stack shared with the PNG renderer's choice of DejaVu Sans.</summary>
    public const string FontFamily = "DejaVu Sans, Verdana, Arial, sans-serif";

    public static void Write(DiagramScene scene, Stream stream)
    {
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) };
        using var xml = XmlWriter.Create(stream, settings);
        xml.WriteStartDocument();
        xml.WriteStartElement("svg", SvgNamespace);
        xml.WriteAttributeString("width", Number(scene.Width));
        xml.WriteAttributeString("height", Number(scene.Height));
        xml.WriteAttributeString("viewBox", $"0 0 {Number(scene.Width)} {Number(scene.Height)}");
        xml.WriteAttributeString("font-family", FontFamily);
        if (scene.Title is not null)
        {
            xml.WriteElementString("title", SvgNamespace, scene.Title);
        }

        xml.WriteStartElement("rect", SvgNamespace);
        xml.WriteAttributeString("class", "background");
        xml.WriteAttributeString("width", "100%");
        xml.WriteAttributeString("height", "100%");
        xml.WriteAttributeString("fill", SceneColor.White.ToHex());
        xml.WriteEndElement();

        foreach (SceneGroup group in scene.Groups)
        {
            WriteGroup(xml, group);
        }

        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private static void WriteGroup(XmlWriter xml, SceneGroup group)
    {
        xml.WriteStartElement("g", SvgNamespace);
        xml.WriteAttributeString("class", group.Class);
        if (group.Opacity < 1.0)
        {
            xml.WriteAttributeString("opacity", Number(group.Opacity, "0.####"));
        }

        foreach (var (name, value) in group.Attributes)
        {
            xml.WriteAttributeString("data-" + name, value);
        }

        foreach (SceneShape shape in group.Shapes)
        {
            WriteShape(xml, shape);
        }

        xml.WriteEndElement();
    }

    private static void WriteShape(XmlWriter xml, SceneShape shape)
    {
        switch (shape)
        {
            case SceneLine line:
                xml.WriteStartElement("line", SvgNamespace);
                Attributes(xml, ("x1", line.X1), ("y1", line.Y1), ("x2", line.X2), ("y2", line.Y2));
                Stroke(xml, line.Stroke, line.StrokeWidth);
                xml.WriteEndElement();
                break;
            case ScenePolyline polyline:
                xml.WriteStartElement("polyline", SvgNamespace);
                xml.WriteAttributeString("class", "curve");
                xml.WriteAttributeString("points", string.Join(' ', polyline.Points.Select(p => Number(p.X) + "," + Number(p.Y))));
                xml.WriteAttributeString("fill", "none");
                xml.WriteAttributeString("stroke-linejoin", "round");
                Stroke(xml, polyline.Stroke, polyline.StrokeWidth);
                xml.WriteEndElement();
                break;
            case SceneCircle circle:
                xml.WriteStartElement("circle", SvgNamespace);
                xml.WriteAttributeString("class", circle.Class);
                Attributes(xml, ("cx", circle.CenterX), ("cy", circle.CenterY), ("r", circle.Radius));
                xml.WriteAttributeString("fill", circle.Fill.ToHex());
                xml.WriteEndElement();
                break;
            case SceneBox box:
                xml.WriteStartElement("rect", SvgNamespace);
                xml.WriteAttributeString("class", box.Class);
                Attributes(xml, ("x", box.X), ("y", box.Y), ("width", box.Width), ("height", box.Height));
                xml.WriteAttributeString("fill", SceneColor.White.ToHex());
                Stroke(xml, box.Stroke, box.StrokeWidth);
                xml.WriteEndElement();
                break;
            case SceneText text:
                xml.WriteStartElement("text", SvgNamespace);
                xml.WriteAttributeString("class", text.Class);
                Attributes(xml, ("x", text.X), ("y", text.Y), ("font-size", text.FontSize));
                xml.WriteAttributeString("text-anchor", "middle");
                xml.WriteString(text.Text);
                xml.WriteEndElement();
                break;
            default:
                throw new InvalidOperationException($"The SVG writer does not know the scene shape {shape.GetType().Name}.");
        }
    }

    private static void Stroke(XmlWriter xml, SceneColor color, double width)
    {
        xml.WriteAttributeString("stroke", color.ToHex());
        xml.WriteAttributeString("stroke-width", Number(width));
        xml.WriteAttributeString("stroke-linecap", "round");
    }

    private static void Attributes(XmlWriter xml, params ReadOnlySpan<(string Name, double Value)> attributes)
    {
        foreach (var (name, value) in attributes)
        {
            xml.WriteAttributeString(name, Number(value));
        }
    }

    private static string Number(double value, string format = "0.##") => value.ToString(format, CultureInfo.InvariantCulture);
}
