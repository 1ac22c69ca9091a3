namespace KanCompile.Plotting.Tests;

public sealed class EdgeCurveSamplerTests
{
    [Fact]
    public void WithSamples_CurvesSpanEachInputNodesRange_AndFollowTheModel()
    {
        var model = new KanNetwork(new[] { 2, 3, 1 }, gridSize: 5, seed: 6, engine: KanEngine.Reference);
        double[] samples = NetworkSvgTests.UniformSamples(count: 100, inputs: 2, seed: 9);
        var layers = EdgeCurveSampler.Sample(model, new KanPlotOptions { Inputs = samples, CurvePoints = 33 });

        for (int input = 0; input < 2; input++)
        {
            double low = Enumerable.Range(0, 100).Min(s => samples[s * 2 + input]);
            double high = Enumerable.Range(0, 100).Max(s => samples[s * 2 + input]);
            foreach (EdgeCurve edge in layers[0].Where(e => e.Edge.Input == input))
            {
                Assert.Equal(low, edge.X[0], 1e-15);
                Assert.Equal(high, edge.X[^1], 1e-15);
            }
        }

        // Each hidden node's range comes from its values over the samples: the curve's end points must be
        // reproduced by a forward pass through layer 0 at the samples that reach the extremes.
        var hiddenValues = new double[100];
        for (int s = 0; s < 100; s++)
        {
            double sum = 0.0;
            foreach (EdgeCurve edge in layers[0].Where(e => e.Edge.Output == 1))
            {
                sum += PublicEdgeOracle.Phi(model, 0, edge.Edge.Input, 1, samples[s * 2 + edge.Edge.Input]);
            }

            hiddenValues[s] = sum;
        }

        EdgeCurve hidden = layers[1].Single(e => e.Edge.Input == 1);
        Assert.Equal(hiddenValues.Min(), hidden.X[0], 1e-12);
        Assert.Equal(hiddenValues.Max(), hidden.X[^1], 1e-12);
        Assert.Equal(33, hidden.X.Length);
        for (int p = 0; p < hidden.X.Length; p++)
        {
            Assert.Equal(PublicEdgeOracle.Phi(model, 1, 1, 0, hidden.X[p]), hidden.Y[p], 1e-12);
        }
    }

    [Fact]
    public void WithoutSamples_CurvesSpanTheInteriorGrid()
    {
        var model = new KanNetwork(new[] { 1, 2 }, gridSize: 4, seed: 1, gridMin: -2.0, gridMax: 3.0, engine: KanEngine.Reference);
        var layers = EdgeCurveSampler.Sample(model, new KanPlotOptions());
        Assert.Equal(2, layers[0].Count);
        Assert.All(layers[0], edge =>
        {
            Assert.Equal(-2.0, edge.X[0], 1e-12);
            Assert.Equal(3.0, edge.X[^1], 1e-12);
            Assert.Equal(1.0, edge.Alpha);
            Assert.Null(edge.Score);
        });
    }
}
