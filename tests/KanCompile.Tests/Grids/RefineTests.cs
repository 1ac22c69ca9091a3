using KanCompile.Compilation;
using KanCompile.Numerics;
using KanCompile.Tests.Models;

namespace KanCompile.Tests.Grids;

/// <summary>Refine beyond the golden fixtures: function preservation, kernel switching, defaults and validation.</summary>
public class RefineTests
{
    private static double[] Samples(int count, int inputs, int seed)
    {
        var random = new KanRandom(seed);
        return Enumerable.Range(0, count * inputs).Select(_ => random.NextDouble() * 2 - 1).ToArray();
    }

    /// <summary>A model with O(1) smooth splines: coefficients sampled from a sine per edge.</summary>
    private static void MakeSmooth(KanModel model)
    {
        var layout = model.Layout;
        for (int l = 0; l < model.Depth; l++)
        {
            int edges = model.Widths[l] * model.Widths[l + 1];
            for (int e = 0; e < edges; e++)
            {
                for (int m = 0; m < layout.CoefficientsPerEdge; m++)
                {
                    model.Parameters[layout.CoefficientOffset[l] + e * layout.CoefficientsPerEdge + m] = 0.8 * Math.Sin(0.9 * m + 1.3 * e + l);
                }
            }
        }
    }

    private static double Rmse(double[] a, double[] b) => Math.Sqrt(a.Zip(b, (x, y) => (x - y) * (x - y)).Average());

    [Theory]
    [InlineData(10)]
    [InlineData(20)]
    public void Refining_to_a_finer_nested_grid_reproduces_the_function(int newGridSize)
    {
        var model = new KanNetwork(new[] { 2, 5, 1 }, gridSize: 5, seed: 3);
        MakeSmooth(model);
        double[] samples = Samples(1000, 2, 9);
        model.UpdateGrid(samples);
        double[] before = GridGolden.Predict(model, samples);

        model.Refine(newGridSize, samples);

        Assert.Equal(newGridSize, model.GridSize);
        double rmse = Rmse(before, GridGolden.Predict(model, samples));
        Assert.True(rmse <= 1e-6, $"RMSE after refine to {newGridSize}: {rmse:G3}");
    }

    [Fact]
    public void Generated_model_switches_to_its_compiled_kernel_and_matches_the_reference_engine()
    {
        var generated = new Toy251(4);
        var reference = new KanNetwork(generated.Architecture, generated.Seed);
        MakeSmooth(generated);
        MakeSmooth(reference);
        double[] samples = Samples(500, 2, 21);
        generated.UpdateGrid(samples);
        reference.UpdateGrid(samples);

        generated.Refine(10, samples);
        reference.Refine(10, samples);

        Assert.Equal(10, generated.GridSize);
        KanKernel kernel = generated.Kernel;
        Assert.NotEqual("ReferenceKernel", kernel.GetType().Name);
        Assert.Equal(10, kernel.GridSize);
        GridGolden.AssertClose(GridGolden.Predict(reference, samples), GridGolden.Predict(generated, samples), 1e-12, "refined outputs");
        for (int l = 0; l < generated.Depth; l++)
        {
            GridGolden.AssertClose(GridGolden.LayerKnots(reference, l), GridGolden.LayerKnots(generated, l), 1e-12, $"layer {l} knots");
            GridGolden.AssertClose(GridGolden.LayerCoefficients(reference, l), GridGolden.LayerCoefficients(generated, l), 1e-12, $"layer {l} coefficients");
        }
    }

    [Fact]
    public void Defaults_to_the_last_fit_inputs()
    {
        double[] samples = Samples(300, 2, 5);
        var explicitInputs = new KanNetwork(new[] { 2, 3, 1 }, seed: 2);
        var lastFit = new KanNetwork(new[] { 2, 3, 1 }, seed: 2);
        MakeSmooth(explicitInputs);
        MakeSmooth(lastFit);
        lastFit.LastFitInputs = samples;

        explicitInputs.Refine(8, samples);
        lastFit.Refine(8);

        Assert.Equal(explicitInputs.Parameters.ToArray(), lastFit.Parameters.ToArray());
    }

    [Fact]
    public void Without_inputs_or_a_previous_fit_says_what_to_pass()
    {
        var model = new KanNetwork(new[] { 2, 3, 1 });
        var error = Assert.Throws<InvalidOperationException>(() => model.Refine(10));
        Assert.Contains("pass inputs", error.Message);
        Assert.Equal(5, model.GridSize);
    }

    [Fact]
    public void Rejects_bad_grid_sizes_and_samples()
    {
        var model = new KanNetwork(new[] { 2, 3, 1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Refine(0, Samples(10, 2, 1)));
        var ragged = Assert.Throws<ArgumentException>(() => model.Refine(10, new double[7]));
        Assert.Contains("multiple of 2", ragged.Message);
        double[] samples = Samples(10, 2, 1);
        samples[7] = double.PositiveInfinity;
        var infinite = Assert.Throws<ArgumentException>(() => model.Refine(10, samples));
        Assert.Contains("Sample 3, column 1 of the inputs is", infinite.Message);
        Assert.Equal(5, model.GridSize);
    }
}
