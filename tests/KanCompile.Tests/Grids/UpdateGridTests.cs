using KanCompile.Numerics;

namespace KanCompile.Tests.Grids;

/// <summary>UpdateGrid beyond the golden fixtures: pykan's documented knots, validation, function preservation.</summary>
public class UpdateGridTests
{
    [Fact]
    public void Uniform_samples_on_minus_10_to_10_give_pykans_api5_knots()
    {
        // kan-math §2.7: uniform x on [−10, 10] → knots [−22, −18, …, 22] (G = 5, k = 3) with grid_eps = 1.
        var model = new KanNetwork(new[] { 1, 1 }, gridSize: 5, seed: 0);
        double[] x = Core.Linspace(-10, 10, 1001);
        model.UpdateGrid(x, gridEps: 1.0);
        double[] expected = Enumerable.Range(0, 12).Select(q => -22.0 + 4.0 * q).ToArray();
        GridGolden.AssertClose(expected, model.GetKnots(0, 0).ToArray(), 1e-12, "knots");
    }

    [Fact]
    public void Cubed_linspace_gives_pykans_quantile_knots()
    {
        // kan-math §2.7: x = linspace(−1, 1, 1000)³ with grid_eps 0.02 → ≈ [−1, −0.2233, −0.0117, 0.0120, 0.2254, 1].
        var model = new KanNetwork(new[] { 1, 1 }, gridSize: 5, seed: 0);
        double[] x = Core.Linspace(-1, 1, 1000).Select(v => v * v * v).ToArray();
        model.UpdateGrid(x);
        double[] interior = model.GetKnots(0, 0).Slice(3, 6).ToArray();
        GridGolden.AssertClose(new[] { -1, -0.2233, -0.0117, 0.0120, 0.2254, 1 }, interior, 1e-4, "interior knots");
    }

    [Fact]
    public void Keeps_the_function_on_the_samples_when_it_is_representable()
    {
        // One layer: the old spline restricted to the sample range is refitted; the new grid with G = 5
        // cannot represent it exactly, but a fine grid (G = 40) nearly can.
        var model = new KanNetwork(new[] { 1, 2 }, gridSize: 40, seed: 6);
        var random = new KanRandom(2);
        double[] x = Enumerable.Range(0, 2000).Select(_ => random.NextDouble() * 1.6 - 0.8).ToArray();
        var layout = model.Layout;
        for (int i = 0; i < 2 * layout.CoefficientsPerEdge; i++)
        {
            model.Parameters[i] = Math.Sin(0.05 * i);
        }

        var before = GridGolden.Predict(model, x);
        model.UpdateGrid(x);
        var after = GridGolden.Predict(model, x);
        double worst = before.Zip(after, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst < 1e-4, $"max change {worst:G3}");
        Assert.Equal(-0.8, model.GetKnots(0, 0)[3], 2);
    }

    [Fact]
    public void Rejects_bad_samples_with_a_message_naming_the_problem()
    {
        var model = new KanNetwork(new[] { 2, 3, 1 });
        var before = model.Parameters.ToArray();
        Assert.Contains("multiple of 2", Assert.Throws<ArgumentException>(() => model.UpdateGrid(new double[5])).Message);
        Assert.Contains("The inputs are empty", Assert.Throws<ArgumentException>(() => model.UpdateGrid(ReadOnlySpan<double>.Empty)).Message);
        Assert.Contains("The inputs hold 1 sample; placing grid knots needs at least 2", Assert.Throws<ArgumentException>(() => model.UpdateGrid(new double[2])).Message);
        var withNaN = new double[] { 0.1, 0.2, 0.3, double.NaN };
        Assert.Contains("Sample 1, column 1 of the inputs is NaN", Assert.Throws<ArgumentException>(() => model.UpdateGrid(withNaN)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.UpdateGrid(new double[] { 0.1, 0.2, 0.3, 0.4 }, gridEps: 1.5));
        Assert.Equal(before, model.Parameters.ToArray());
    }

    [Fact]
    public void Constant_input_column_does_not_produce_NaN()
    {
        // A dead input (every sample equal) collapses its knots; pykan then fits zero coefficients.
        var model = new KanNetwork(new[] { 2, 3, 1 }, seed: 4);
        double[] x = Enumerable.Range(0, 100).SelectMany(s => new[] { 0.3, Math.Sin(s) }).ToArray();
        model.UpdateGrid(x);
        Assert.All(model.Parameters.ToArray(), p => Assert.True(double.IsFinite(p)));
        Assert.All(GridGolden.Predict(model, x), y => Assert.True(double.IsFinite(y)));
    }

    private static class Core
    {
        public static double[] Linspace(double a, double b, int n) => KanCompile.Splines.KnotVector.Linspace(a, b, n);
    }
}
