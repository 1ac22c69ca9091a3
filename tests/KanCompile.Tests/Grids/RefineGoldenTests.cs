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
                Assert.Equal(mask[e], model.GetMask(new KanEdge(l, e / model.Widths[l + 1], e % model.Widths[l + 1])));
            }
        }

        GridGolden.AssertClose(GridGolden.Flatten(golden.GetProperty("y_after_min_norm_reference")), GridGolden.Predict(model, samples), 1e-9, "y_after (min-norm reference)");
    }

    [Theory]
    [InlineData("uniform_grid")]
    [InlineData("after_update_grid")]
    public void Least_squares_data_are_pykans_layer_inputs_and_unscaled_splines(string name)
    {
        // What Refine fits to: per layer, the old model's activations entering it and its unscaled spline values there.
        JsonElement root = GoldenFixture.Load("refine.json");
        double[] samples = GridGolden.Flatten(root.GetProperty("samples"));
        JsonElement golden = root.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        KanNetwork model = GridGolden.BuildModel(golden.GetProperty("model_before"));
        var layout = model.Layout;
        JsonElement[] inputs = golden.GetProperty("lsq_inputs").EnumerateArray().ToArray();
        JsonElement[] targets = golden.GetProperty("lsq_targets_postspline").EnumerateArray().ToArray();
        Assert.Equal(layout.Spec.Depth, inputs.Length);
        int count = samples.Length / model.InputCount;
        double[] nodes = new double[layout.NodeCount], edges = new double[layout.EdgeCount], splines = new double[layout.EdgeCount];
        for (int l = 0; l < inputs.Length; l++)
        {
            double[][] expectedInputs = GoldenFixture.Matrix(inputs[l]);
            double[][][] expectedSplines = GoldenFixture.Cube(targets[l]);
            Assert.Equal(count, expectedInputs.Length);
            int outputs = layout.Spec.SubnodeWidth(l + 1);
            for (int s = 0; s < count; s++)
            {
                model.Kernel.Trace(samples.AsSpan(s * model.InputCount, model.InputCount), model.ParameterBuffer, model.KnotTable, model.MaskBuffer, nodes, edges, splines);
                for (int i = 0; i < expectedInputs[s].Length; i++)
                {
                    double x = nodes[layout.NodeOffset[l] + i];
                    Assert.True(Math.Abs(x - expectedInputs[s][i]) <= 1e-12, $"{name}: layer {l} input {i} of sample {s} = {x:R}, pykan {expectedInputs[s][i]:R}");
                    for (int j = 0; j < outputs; j++)
                    {
                        double spline = splines[layout.EdgeOffset[l] + i * outputs + j];
                        Assert.True(Math.Abs(spline - expectedSplines[s][j][i]) <= 1e-12, $"{name}: spline {l}:{i}->{j} of sample {s} = {spline:R}, pykan {expectedSplines[s][j][i]:R}");
                    }
                }
            }
        }
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
