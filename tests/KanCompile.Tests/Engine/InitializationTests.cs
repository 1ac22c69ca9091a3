using KanCompile.Splines;
using KanCompile.Tests.Models;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Engine;

/// <summary>pykan 0.2 initialisation (kan-math §2.5), seeded and shared by generated models and KanNetwork.</summary>
public class InitializationTests
{
    [Fact]
    public void Same_seed_gives_same_parameters_and_generated_equals_reference()
    {
        var first = new Toy251(42);
        var second = new Toy251(42);
        var network = new KanNetwork(new[] { 2, 5, 1 }, 5, 3, seed: 42);
        Assert.True(first.Parameters.SequenceEqual(second.Parameters));
        Assert.True(first.Parameters.SequenceEqual(network.Parameters));
        Assert.False(first.Parameters.SequenceEqual(new Toy251(43).Parameters));
        Assert.True(new Toy251().Parameters.SequenceEqual(new Toy251(1).Parameters));
    }

    [Fact]
    public void Scales_follow_pykan_and_splines_start_as_small_noise()
    {
        var model = new Wide4x16x16x1(5);
        var layout = model.Layout;
        for (int l = 0; l < model.Depth; l++)
        {
            int inputs = model.Widths[l], outputs = model.Widths[l + 1];
            double root = Math.Sqrt(inputs);
            var scaleBase = model.Parameters.Slice(layout.ScaleBaseOffset[l], inputs * outputs).ToArray();
            var scaleSpline = model.Parameters.Slice(layout.ScaleSplineOffset[l], inputs * outputs).ToArray();
            Assert.All(scaleBase, v => Assert.InRange(v, -1 / root, 1 / root));
            Assert.True(scaleBase.Max() - scaleBase.Min() > 1 / root, "scale_base should spread over ±1/√in");
            Assert.All(scaleSpline, v => Assert.Equal(1 / root, v, 15));
            Assert.All(Enumerable.Range(0, inputs).SelectMany(i => Enumerable.Range(0, outputs).Select(j => model.GetMask(new KanEdge(l, i, j)))), m => Assert.Equal(1.0, m));

            // The spline interpolates noise of amplitude 0.3/(2G) at the interior knots.
            int g = model.GridSize, k = model.SplineOrder;
            double[] knots = model.GetKnots(l, 0).ToArray();
            double largest = 0;
            for (int e = 0; e < inputs * outputs; e++)
            {
                var coefficients = model.Parameters.Slice(layout.CoefficientOffset[l] + e * (g + k), g + k).ToArray();
                for (int s = 0; s <= g; s++)
                {
                    double value = BSplineBasis.Spline(knots[k + s], knots, k, coefficients);
                    Assert.InRange(value, -0.15 / g - 1e-12, 0.15 / g + 1e-12);
                    largest = Math.Max(largest, Math.Abs(value));
                }
            }

            Assert.True(largest > 0.05 / g, $"layer {l}: the initial splines should carry noise, largest value {largest}");
        }
    }

    [Fact]
    public void Predict_matches_forward_sequential_and_parallel()
    {
        foreach (int count in new[] { 7, 20_000 })
        {
            var model = new Wide4x16x16x1(2);
            var random = new Random(9);
            var inputs = Enumerable.Range(0, count * 4).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            var outputs = new double[count];
            model.Predict(inputs, outputs);
            var y = new double[1];
            for (int s = 0; s < count; s += Math.Max(1, count / 50))
            {
                model.Forward(inputs.AsSpan(4 * s, 4), y);
                Assert.Equal(y[0], outputs[s]);
            }
        }
    }

    [Fact]
    public void Bad_shapes_get_clear_errors()
    {
        IKanModel model = new Toy251();
        var error = Assert.Throws<ArgumentException>(() => model.Forward(new double[3], new double[1]));
        Assert.Contains("3 values", error.Message);
        Assert.Contains("2 inputs", error.Message);
        error = Assert.Throws<ArgumentException>(() => model.Backward(new double[2], new double[1], new double[5], default));
        Assert.Contains("150 parameters", error.Message);
        error = Assert.Throws<ArgumentException>(() => model.Predict(new double[5], new double[3]));
        Assert.Contains("multiple", error.Message);
        Assert.Throws<ArgumentException>(() => new KanNetwork(new[] { 2 }));
        Assert.Throws<ArgumentException>(() => new KanNetwork(new[] { 2, 0, 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KanNetwork(new[] { 2, 1 }, gridSize: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KanNetwork(new[] { 2, 1 }, splineOrder: 8));
        Assert.Throws<ArgumentException>(() => new KanNetwork(new[] { 2, 1 }, gridMin: 1, gridMax: 1));
    }

    [Fact]
    public void Backward_adds_parameter_gradients_and_writes_input_gradients()
    {
        IKanModel model = new Toy251(3);
        var x = new[] { 0.2, -0.4 };
        var once = new double[model.ParameterCount];
        var twice = new double[model.ParameterCount];
        var dx = new[] { 99.0, 99.0 };
        model.Backward(x, new[] { 1.0 }, once, dx);
        var dxFirst = (double[])dx.Clone();
        model.Backward(x, new[] { 1.0 }, twice, dx);
        model.Backward(x, new[] { 1.0 }, twice, dx);
        for (int p = 0; p < once.Length; p++)
        {
            Assert.Equal(2 * once[p], twice[p], 14);
        }

        Assert.Equal(dxFirst, dx);
        model.Backward(x, new[] { 1.0 }, once, default);
    }
}
