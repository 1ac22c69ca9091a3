namespace KanCompile.Plotting.Tests;

public sealed class NetworkSvgTests(FittedToyModel fitted) : IClassFixture<FittedToyModel>
{
    [Fact]
    public void FittedModel_DrawsOneDotPerNodeAndOneBoxPerEdge_WithNamesAndTitle()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("toy.svg");
        fitted.Model.Plot(path, new KanPlotOptions { InputNames = ["x", "y"], OutputNames = ["f"], Title = "exp(sin(πx) + y²)" });

        var svg = SvgDocument.Load(path);
        Assert.Equal(2 + 5 + 1, svg.Elements("circle", "node").Count());
        Assert.Equal(2 * 5 + 5 * 1, svg.Elements("rect", "edge-box").Count());
        Assert.Equal(15, svg.Elements("polyline", "curve").Count());
        Assert.Equal(["x", "y"], svg.Elements("text", "input-name").Select(t => t.Value));
        Assert.Equal(["f"], svg.Elements("text", "output-name").Select(t => t.Value));
        Assert.Equal("exp(sin(πx) + y²)", svg.Elements("text", "title").Single().Value);
    }

    [Fact]
    public void EdgeOpacity_IsTanhOfThreeTimesTheAttributionScoreOnTheFitSamples()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("toy.svg");
        fitted.Model.Plot(path);

        KanAttribution attribution = fitted.Model.Attribute();
        var svg = SvgDocument.Load(path);
        var opacities = new List<double>();
        for (int l = 0; l < fitted.Model.Depth; l++)
        {
            for (int i = 0; i < fitted.Model.Widths[l]; i++)
            {
                for (int j = 0; j < fitted.Model.Widths[l + 1]; j++)
                {
                    double expected = Math.Tanh(3.0 * attribution.EdgeScore(new KanEdge(l, i, j)));
                    double written = SvgDocument.Opacity(svg.Edge(l, i, j));
                    Assert.Equal(expected, written, 1e-4);
                    opacities.Add(written);
                }
            }
        }

        // A trained toy network has both strong and faint edges; a constant opacity would hide the structure.
        Assert.True(opacities.Max() - opacities.Min() > 0.3, $"opacities {string.Join(", ", opacities)}");
    }

    [Fact]
    public void StrongEdge_IsMoreOpaqueThanWeakEdge()
    {
        var model = new KanNetwork(new[] { 2, 1 }, gridSize: 5, seed: 2, engine: KanEngine.Reference);
        // Edge 0 → 0 carries a large signal, edge 1 → 0 a tiny residual one.
        SetScales(model, edge: 0, scaleBase: 1.0, scaleSpline: 1.0);
        SetScales(model, edge: 1, scaleBase: 0.01, scaleSpline: 0.0);
        double[] samples = UniformSamples(count: 200, inputs: 2, seed: 5);

        using var directory = new TemporaryDirectory();
        string path = directory.File("strong-weak.svg");
        model.Plot(path, new KanPlotOptions { Inputs = samples });

        var svg = SvgDocument.Load(path);
        double strong = SvgDocument.Opacity(svg.Edge(0, 0, 0));
        double weak = SvgDocument.Opacity(svg.Edge(0, 1, 0));
        Assert.True(strong > 0.9, $"strong edge opacity {strong}");
        Assert.True(weak < 0.1, $"weak edge opacity {weak}");
    }

    [Fact]
    public void PrunedEdges_AreNotDrawn()
    {
        var model = new KanNetwork(new[] { 2, 3, 1 }, gridSize: 5, seed: 3, engine: KanEngine.Reference);
        model.SetMask(new KanEdge(0, 1, 2), 0.0);
        model.SetMask(new KanEdge(1, 0, 0), 0.0);

        using var directory = new TemporaryDirectory();
        string path = directory.File("pruned.svg");
        model.Plot(path, new KanPlotOptions { Inputs = UniformSamples(count: 50, inputs: 2, seed: 1) });

        var svg = SvgDocument.Load(path);
        Assert.Equal(6 + 3 - 2, svg.Elements("rect", "edge-box").Count());
        Assert.DoesNotContain(svg.EdgeGroups, g => (string?)g.Attribute("data-layer") == "0" && (string?)g.Attribute("data-input") == "1" && (string?)g.Attribute("data-output") == "2");
        Assert.Equal(2 + 3 + 1, svg.Elements("circle", "node").Count());
    }

    [Fact]
    public void UnfittedModelWithoutSamples_DrawsEveryEdgeOpaque()
    {
        var model = new KanNetwork(new[] { 3, 2, 2 }, gridSize: 4, seed: 4, engine: KanEngine.Reference);
        using var directory = new TemporaryDirectory();
        string path = directory.File("unfitted.svg");
        model.Plot(path);

        var svg = SvgDocument.Load(path);
        Assert.Equal(10, svg.EdgeGroups.Count());
        Assert.All(svg.EdgeGroups, g => Assert.Equal(1.0, SvgDocument.Opacity(g)));
        Assert.All(svg.EdgeGroups, g => Assert.Null(g.Attribute("data-score")));
    }

    [Fact]
    public void EdgeKind_SetsPykansColours()
    {
        var model = new KanNetwork(new[] { 2, 2 }, gridSize: 3, seed: 1, engine: KanEngine.Reference);
        using var directory = new TemporaryDirectory();
        string path = directory.File("kinds.svg");
        model.Plot(path, new KanPlotOptions
        {
            EdgeKind = edge => (edge.Input, edge.Output) switch { (0, 0) => KanEdgeKind.Symbolic, (1, 1) => KanEdgeKind.Both, _ => KanEdgeKind.Spline },
        });

        var svg = SvgDocument.Load(path);
        string Stroke(int i, int j) => (string)svg.Edge(0, i, j).Elements().Single(e => (string?)e.Attribute("class") == "edge-box").Attribute("stroke")!;
        Assert.Equal("#dc0000", Stroke(0, 0));
        Assert.Equal("#800080", Stroke(1, 1));
        Assert.Equal("#000000", Stroke(0, 1));
        Assert.Equal("#000000", Stroke(1, 0));
    }

    [Fact]
    public void BadArguments_AreNamed()
    {
        var model = new KanNetwork(new[] { 2, 1 }, gridSize: 3, seed: 1, engine: KanEngine.Reference);
        using var directory = new TemporaryDirectory();
        var extension = Assert.Throws<ArgumentException>(() => model.Plot(directory.File("model.pdf")));
        Assert.Contains(".svg or .png", extension.Message, StringComparison.Ordinal);

        var names = Assert.Throws<ArgumentException>(() => model.Plot(directory.File("model.svg"), new KanPlotOptions { InputNames = ["x"] }));
        Assert.Contains("InputNames has 1 names but the model has 2 inputs", names.Message, StringComparison.Ordinal);

        var samples = Assert.Throws<ArgumentException>(() => model.Plot(directory.File("model.svg"), new KanPlotOptions { Inputs = [0.1, 0.2, 0.3] }));
        Assert.Contains("hold 3 values, not a multiple of 2", samples.Message, StringComparison.Ordinal);
    }

    private static void SetScales(KanNetwork model, int edge, double scaleBase, double scaleSpline)
    {
        // Layout of a single layer: coef[in][out][G+k], then scale_base[in][out], then scale_sp[in][out].
        int edges = model.Widths[0] * model.Widths[1];
        int coefficients = edges * (model.GridSize + model.SplineOrder);
        model.Parameters[coefficients + edge] = scaleBase;
        model.Parameters[coefficients + edges + edge] = scaleSpline;
    }

    internal static double[] UniformSamples(int count, int inputs, int seed)
    {
        var random = new Random(seed);
        var samples = new double[count * inputs];
        for (int v = 0; v < samples.Length; v++)
        {
            samples[v] = random.NextDouble() * 2.0 - 1.0;
        }

        return samples;
    }
}
