using System.Text.Json;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Grids;

/// <summary>
/// Refine against pykan's refine(10) (golden refine.json). In <c>uniform_grid</c> layer 1 is rank-deficient
/// and pykan returns zeros; KanCompile must give the minimum-norm reference instead.
/// </summary>
public class RefineGoldenTests
{
    [Theory]
    [InlineData("uniform_grid")]
    [InlineData("after_update_grid")]
    public void Matches_pykan_or_the_minimum_norm_reference(string name)
    {
        JsonElement root = GoldenFixture.Load("refine.json");
        double[] samples = GridGolden.Flatten(root.GetProperty("samples"));
        JsonElement golden = root.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        KanNetwork model = GridGolden.BuildModel(golden.GetProperty("model_before"));
        GridGolden.AssertClose(GridGolden.Flatten(golden.GetProperty("y_before")), GridGolden.Predict(model, samples), 1e-12, "y_before");
        int newGrid = golden.GetProperty("new_grid_intervals").GetInt32();

        model.Refine(newGrid, samples);

        Assert.Equal(newGrid, model.GridSize);
        var layers = golden.GetProperty("layers_after").EnumerateArray().ToArray();
        var reference = golden.GetProperty("coef_min_norm_reference").EnumerateArray().ToArray();
        var layout = model.Layout;
        for (int l = 0; l < layers.Length; l++)
        {
            GridGolden.AssertClose(GridGolden.Flatten(layers[l].GetProperty("grid")), GridGolden.LayerKnots(model, l), 1e-13, $"layer {l} grid");
            bool pykanZeroed = name == "uniform_grid" && l == 1;
            double[] expected = GridGolden.Flatten(pykanZeroed ? reference[l] : layers[l].GetProperty("coef"));
            GridGolden.AssertClose(expected, GridGolden.LayerCoefficients(model, l), pykanZeroed ? 1e-9 : 1e-10, $"layer {l} coef");
            GridGolden.AssertClose(GridGolden.Flatten(reference[l]), GridGolden.LayerCoefficients(model, l), 1e-9, $"layer {l} coef vs min-norm reference");

            int edges = model.Widths[l] * model.Widths[l + 1];
            Assert.Equal(GridGolden.Flatten(layers[l].GetProperty("scale_base")), model.Parameters.Slice(layout.ScaleBaseOffset[l], edges).ToArray());
            Assert.Equal(GridGolden.Flatten(layers[l].GetProperty("scale_sp")), model.Parameters.Slice(layout.ScaleSplineOffset[l], edges).ToArray());
            double[] mask = GridGolden.Flatten(layers[l].GetProperty("mask"));
            for (int e = 0; e < edges; e++)
            {
                Assert.Equal(mask[e], model.GetMask(l, e / model.Widths[l + 1], e % model.Widths[l + 1]));
            }
        }

        GridGolden.AssertClose(GridGolden.Flatten(golden.GetProperty("y_after_min_norm_reference")), GridGolden.Predict(model, samples), 1e-9, "y_after (min-norm reference)");
    }

    [Fact]
    public void Uniform_grid_layer_1_is_really_rank_deficient_with_empty_columns_set_to_zero()
    {
        JsonElement root = GoldenFixture.Load("refine.json");
        double[] samples = GridGolden.Flatten(root.GetProperty("samples"));
        JsonElement golden = root.GetProperty("cases")[0];
        KanNetwork model = GridGolden.BuildModel(golden.GetProperty("model_before"));
        model.Refine(10, samples);
        double[] coefficients = GridGolden.LayerCoefficients(model, 1);
        int count = model.Layout.CoefficientsPerEdge;

        // The diagnostics list 6, 7 and 6 empty columns for the three hidden nodes; those coefficients are exactly 0.
        var diagnostics = golden.GetProperty("lsq_diagnostics")[1].EnumerateArray().ToArray();
        for (int i = 0; i < 3; i++)
        {
            int zeros = Enumerable.Range(0, count).Count(m => coefficients[i * count + m] == 0.0);
            Assert.Equal(diagnostics[i].GetProperty("zero_columns").GetInt32(), zeros);
        }
    }
}
