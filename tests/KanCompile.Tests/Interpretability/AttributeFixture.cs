using System.Text.Json;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Interpretability;

/// <summary>Reads Golden/attribute.json: pykan models written into our parameter layout, samples and expected scores.</summary>
internal static class AttributeFixture
{
    private static readonly Lazy<JsonElement> Document = new(() => GoldenFixture.Load("attribute.json"));

    public static JsonElement Root => Document.Value;

    public static IEnumerable<object[]> CaseNames() =>
        Root.GetProperty("cases").EnumerateArray().Select(c => new object[] { c.GetProperty("name").GetString()! });

    public static JsonElement Case(string name) =>
        Root.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    /// <summary>The 200 samples, row-major.</summary>
    public static double[] Samples() =>
        Root.GetProperty("samples").EnumerateArray().SelectMany(row => row.EnumerateArray().Select(v => v.GetDouble())).ToArray();

    /// <summary>
    /// A <see cref="KanNetwork"/> holding a fixture model's tensors. The fixture grids must be our default uniform
    /// grids bit for bit (checked here), so only coefficients, scales and masks are written.
    /// </summary>
    public static KanNetwork Model(JsonElement model)
    {
        int[] widths = Ints(model.GetProperty("width"));
        var range = Doubles(model.GetProperty("grid_range"));
        var network = new KanNetwork(widths, model.GetProperty("grid_intervals").GetInt32(), model.GetProperty("spline_order").GetInt32(), seed: 0, gridMin: range[0], gridMax: range[1]);
        Write(network, model);
        return network;
    }

    /// <summary>Writes a fixture model's tensors into a network of the same widths, checking its grids.</summary>
    public static void Write(KanModel network, JsonElement model)
    {
        int offset = 0;
        var layers = model.GetProperty("layers").EnumerateArray().ToArray();
        Span<double> parameters = network.Parameters;
        for (int l = 0; l < layers.Length; l++)
        {
            var coef = Doubles3(layers[l].GetProperty("coef"));
            foreach (double[][] perInput in coef)
            {
                foreach (double[] edge in perInput)
                {
                    edge.CopyTo(parameters.Slice(offset));
                    offset += edge.Length;
                }
            }

            foreach (string name in new[] { "scale_base", "scale_sp" })
            {
                foreach (double[] row in Doubles2(layers[l].GetProperty(name)))
                {
                    row.CopyTo(parameters.Slice(offset));
                    offset += row.Length;
                }
            }

            double[][] mask = Doubles2(layers[l].GetProperty("mask"));
            double[][] grid = Doubles2(layers[l].GetProperty("grid"));
            for (int i = 0; i < mask.Length; i++)
            {
                Assert.Equal(grid[i], network.GetKnots(l, i).ToArray());
                for (int j = 0; j < mask[i].Length; j++)
                {
                    network.SetMask(new KanEdge(l, i, j), mask[i][j]);
                }
            }
        }

        Assert.Equal(network.ParameterCount, offset);
    }

    public static int[] Ints(JsonElement array) => array.EnumerateArray().Select(v => v.GetInt32()).ToArray();

    public static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    public static double[][] Doubles2(JsonElement array) => array.EnumerateArray().Select(Doubles).ToArray();

    public static double[][][] Doubles3(JsonElement array) => array.EnumerateArray().Select(Doubles2).ToArray();
}
