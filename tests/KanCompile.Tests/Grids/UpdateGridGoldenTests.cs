using System.Text.Json;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Grids;

/// <summary>UpdateGrid against pykan's update_grid_from_samples (golden update_grid.json, both grid_eps cases).</summary>
public class UpdateGridGoldenTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Matches_pykan(int caseIndex)
    {
        JsonElement root = GoldenFixture.Load("update_grid.json");
        double[] samples = GridGolden.Flatten(root.GetProperty("samples"));
        JsonElement golden = root.GetProperty("cases")[caseIndex];
        KanNetwork model = GridGolden.BuildModel(golden.GetProperty("model_before"));
        GridGolden.AssertClose(GridGolden.Flatten(golden.GetProperty("y_before")), GridGolden.Predict(model, samples), 1e-12, "y_before");

        model.UpdateGrid(samples, golden.GetProperty("grid_eps").GetDouble());

        var layers = golden.GetProperty("layers_after").EnumerateArray().ToArray();
        for (int l = 0; l < layers.Length; l++)
        {
            GridGolden.AssertClose(GridGolden.Flatten(layers[l].GetProperty("grid")), GridGolden.LayerKnots(model, l), 1e-13, $"layer {l} grid");
            GridGolden.AssertClose(GridGolden.Flatten(layers[l].GetProperty("coef")), GridGolden.LayerCoefficients(model, l), 1e-10, $"layer {l} coef");
        }

        Assert.Equal(5, model.GridSize);
        GridGolden.AssertClose(GridGolden.Flatten(golden.GetProperty("y_after")), GridGolden.Predict(model, samples), 1e-10, "y_after");
    }
}
