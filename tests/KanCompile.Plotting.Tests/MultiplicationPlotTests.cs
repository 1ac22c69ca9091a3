using System.Globalization;
using System.Xml.Linq;

namespace KanCompile.Plotting.Tests;

/// <summary>
/// Plots of models with multiplication nodes (pykan's MultKAN): a product node is a dot marked ×, each of its factors
/// (sub-nodes) a small dot below it; an edge into a factor ends at that factor's dot, and each factor joins its product.
/// </summary>
public sealed class MultiplicationPlotTests
{
    /// <summary>pykan <c>width=[2,[1,1],1]</c>: one addition and one multiplication node of arity 2 (sub-nodes 0 | 1, 2).</summary>
    private static (KanNetwork Model, double[] Samples) ProductModel()
    {
        var model = new KanNetwork([2, 1, 1], gridSize: 3, seed: 1, engine: KanEngine.Reference, multiplicationNodes: [0, 1, 0]);
        double[] samples = NetworkSvgTests.UniformSamples(count: 100, inputs: 2, seed: 3);
        return (model, samples);
    }

    private static double Number(XElement element, string attribute) => double.Parse((string)element.Attribute(attribute)!, CultureInfo.InvariantCulture);

    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void Product_nodes_show_their_factors_and_edges_end_at_the_factor_they_feed()
    {
        var (model, samples) = ProductModel();
        using var directory = new TemporaryDirectory();
        string path = directory.File("mult.svg");
        model.Plot(path, new KanPlotOptions { Inputs = samples });
        var svg = SvgDocument.Load(path);

        // Nodes 2 + (1 + 1) + 1, one × marker, two factor dots; edges 2 inputs × 3 sub-nodes + 2 nodes × 1 output.
        List<XElement> nodes = svg.Elements("circle", "node").ToList();
        Assert.Equal(5, nodes.Count);
        Assert.Single(svg.Elements("text", "multiplication-node"));
        List<XElement> factors = svg.Elements("circle", "subnode").ToList();
        Assert.Equal(2, factors.Count);
        Assert.Equal(8, svg.Elements("rect", "edge-box").Count());

        // Node dots in document order: layer 0 (2), layer 1 (addition, product), layer 2.
        XElement sumNode = nodes[2], productNode = nodes[3];
        Assert.NotEqual(Number(factors[0], "cx"), Number(factors[1], "cx"));
        foreach (XElement link in svg.Elements("g", "subnodes").Single().Elements(Svg + "line"))
        {
            Assert.Equal(Number(productNode, "cx"), Number(link, "x2"), 9);
            Assert.Equal(Number(productNode, "cy"), Number(link, "y2"), 9);
        }

        for (int input = 0; input < 2; input++)
        {
            XElement toSum = svg.Edge(0, input, 0).Elements(Svg + "line").ElementAt(1);
            Assert.Equal(Number(sumNode, "cx"), Number(toSum, "x2"), 9);
            Assert.Equal(Number(sumNode, "cy"), Number(toSum, "y2"), 9);
            for (int factor = 0; factor < 2; factor++)
            {
                XElement toFactor = svg.Edge(0, input, 1 + factor).Elements(Svg + "line").ElementAt(1);
                Assert.Equal(Number(factors[factor], "cx"), Number(toFactor, "x2"), 9);
                Assert.Equal(Number(factors[factor], "cy"), Number(toFactor, "y2"), 9);
            }
        }

        // The product node feeds the output like any node.
        Assert.Equal(Number(productNode, "cx"), Number(svg.Edge(1, 1, 0).Elements(Svg + "line").First(), "x1"), 9);
    }

    [Fact]
    public void Factor_edges_fade_with_their_attribution_scores()
    {
        var (model, samples) = ProductModel();
        using var directory = new TemporaryDirectory();
        string path = directory.File("mult.svg");
        model.Plot(path, new KanPlotOptions { Inputs = samples });
        var svg = SvgDocument.Load(path);
        KanAttribution attribution = model.Attribute(samples);
        for (int l = 0; l < model.Depth; l++)
        {
            for (int i = 0; i < model.NodeWidths[l]; i++)
            {
                for (int j = 0; j < model.SubnodeWidths[l + 1]; j++)
                {
                    Assert.Equal(Math.Tanh(3.0 * attribution.EdgeScore(new KanEdge(l, i, j))), SvgDocument.Opacity(svg.Edge(l, i, j)), 1e-4);
                }
            }
        }
    }

    [Fact]
    public void A_product_model_renders_to_png()
    {
        var (model, samples) = ProductModel();
        using var directory = new TemporaryDirectory();
        string path = directory.File("mult.png");
        model.Plot(path, new KanPlotOptions { Inputs = samples, InputNames = ["x", "y"], OutputNames = ["f"] });
        var (width, height) = PngFile.ReadHeader(path);
        Assert.True(width > 100 && height > 100, $"{width}×{height}");
        Assert.True(PngFile.DarkFraction(path) > 0.001);
    }
}
