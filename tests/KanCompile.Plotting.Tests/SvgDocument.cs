using System.Globalization;
using System.Xml.Linq;

namespace KanCompile.Plotting.Tests;

/// <summary>Queries on a diagram SVG: the file must parse as XML, and shapes are found by their class.</summary>
internal sealed class SvgDocument
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private SvgDocument(XDocument document) => Document = document;

    public XDocument Document { get; }

    public static SvgDocument Load(string path) => new(XDocument.Load(path));

    public IEnumerable<XElement> Elements(string name, string cssClass) =>
        Document.Descendants(Svg + name).Where(e => (string?)e.Attribute("class") == cssClass);

    public IEnumerable<XElement> EdgeGroups => Elements("g", "edge");

    public XElement Edge(int layer, int input, int output) => EdgeGroups.Single(g =>
        (string?)g.Attribute("data-layer") == layer.ToString(CultureInfo.InvariantCulture)
        && (string?)g.Attribute("data-input") == input.ToString(CultureInfo.InvariantCulture)
        && (string?)g.Attribute("data-output") == output.ToString(CultureInfo.InvariantCulture));

    /// <summary>The opacity SVG viewers apply (absent = 1).</summary>
    public static double Opacity(XElement group) =>
        group.Attribute("opacity") is { } opacity ? double.Parse(opacity.Value, CultureInfo.InvariantCulture) : 1.0;
}
