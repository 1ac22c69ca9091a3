using System.Text.Json;

namespace KanCompile.Tests.Grids;

/// <summary>Rebuilds the models of pykan's grid fixtures (update_grid.json, refine.json; loaded with GoldenFixture).</summary>
internal static class GridGolden
{
    public static double[] Flatten(JsonElement array)
    {
        var values = new List<double>();
        void Walk(JsonElement e)
        {
            if (e.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in e.EnumerateArray())
                {
                    Walk(item);
                }
            }
            else
            {
                values.Add(e.GetDouble());
            }
        }

        Walk(array);
        return values.ToArray();
    }

    /// <summary>A KanNetwork holding exactly the fixture's grids, coefficients, scales and masks.</summary>
    public static KanNetwork BuildModel(JsonElement model)
    {
        int[] widths = model.GetProperty("width").EnumerateArray().Select(w => w.ValueKind == JsonValueKind.Array ? w[0].GetInt32() : w.GetInt32()).ToArray();
        int g = model.GetProperty("grid_intervals").GetInt32(), k = model.GetProperty("spline_order").GetInt32();
        var network = new KanNetwork(widths, g, k, seed: 0);
        var layout = network.Layout;
        var parameters = new double[layout.ParameterCount];
        var knots = new double[layout.NodeOffset[network.Depth] * layout.KnotCount];
        var layers = model.GetProperty("layers").EnumerateArray().ToArray();
        for (int l = 0; l < layers.Length; l++)
        {
            double[] coef = Flatten(layers[l].GetProperty("coef"));
            coef.CopyTo(parameters, layout.CoefficientOffset[l]);
            Flatten(layers[l].GetProperty("scale_base")).CopyTo(parameters, layout.ScaleBaseOffset[l]);
            Flatten(layers[l].GetProperty("scale_sp")).CopyTo(parameters, layout.ScaleSplineOffset[l]);
            Flatten(layers[l].GetProperty("grid")).CopyTo(knots, layout.NodeOffset[l] * layout.KnotCount);
            double[] mask = Flatten(layers[l].GetProperty("mask"));
            for (int e = 0; e < mask.Length; e++)
            {
                network.SetMask(new KanEdge(l, e / widths[l + 1], e % widths[l + 1]), mask[e]);
            }
        }

        network.ReplaceGrid(g, knots, parameters);
        return network;
    }

    /// <summary>The knots of layer <paramref name="layer"/>, all nodes, as [node][G+2k+1] flattened.</summary>
    public static double[] LayerKnots(KanModel model, int layer) =>
        Enumerable.Range(0, model.Widths[layer]).SelectMany(i => model.GetKnots(layer, i).ToArray()).ToArray();

    /// <summary>The coefficients of layer <paramref name="layer"/> as [in][out][G+k] flattened.</summary>
    public static double[] LayerCoefficients(KanModel model, int layer)
    {
        var layout = model.Layout;
        int count = model.Widths[layer] * model.Widths[layer + 1] * layout.CoefficientsPerEdge;
        return model.Parameters.Slice(layout.CoefficientOffset[layer], count).ToArray();
    }

    public static double[] Predict(KanModel model, double[] samples)
    {
        var outputs = new double[samples.Length / model.InputCount * model.OutputCount];
        model.Predict(samples, outputs);
        return outputs;
    }

    public static void AssertClose(double[] expected, double[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        int worst = Enumerable.Range(0, expected.Length).MaxBy(i => Math.Abs(expected[i] - actual[i]));
        double error = Math.Abs(expected[worst] - actual[worst]);
        Assert.True(error <= tolerance, $"{what}: entry {worst} is {actual[worst]}, expected {expected[worst]} (|Δ| = {error:G3} > {tolerance:G3})");
    }
}
