using KanCompile.Training.Optimizers;

namespace KanCompile.Tests.Training;

public class OptimizerTests
{
    /// <summary>Rosenbrock's banana, f = (1 − x)² + 100(y − x²)², minimum 0 at (1, 1).</summary>
    private sealed class Rosenbrock : IOptimizerObjective
    {
        private readonly double[] _point;

        public Rosenbrock(double[] point) => _point = point;

        public int Evaluations { get; private set; }

        public bool TryEvaluate(Span<double> gradient, out double value)
        {
            Evaluations++;
            double x = _point[0], y = _point[1];
            value = (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
            gradient[0] = -2 * (1 - x) - 400 * x * (y - x * x);
            gradient[1] = 200 * (y - x * x);
            return true;
        }
    }

    /// <summary>Stops on its n-th evaluation, as a cancelled or non-finite objective does.</summary>
    private sealed class StopAfter(IOptimizerObjective inner, int evaluations) : IOptimizerObjective
    {
        private int _count;

        public bool TryEvaluate(Span<double> gradient, out double value)
        {
            bool ok = inner.TryEvaluate(gradient, out value);
            return ok && ++_count < evaluations;
        }
    }

    [Fact]
    public void Lbfgs_finds_the_rosenbrock_minimum_within_pykan_step_budgets()
    {
        var point = new[] { -1.2, 1.0 };
        var objective = new Rosenbrock(point);
        var optimizer = new LbfgsOptimizer(2, 1.0);
        for (int step = 0; step < 5; step++)
        {
            Assert.True(optimizer.Step(point, objective));
        }

        Assert.True(Math.Abs(point[0] - 1) < 1e-10 && Math.Abs(point[1] - 1) < 1e-10, $"ended at ({point[0]:R}, {point[1]:R})");

        // One step is at most 25 evaluations (max_eval) plus the line search overshooting its last iteration.
        Assert.True(optimizer.Evaluations <= 5 * (25 + 25), $"{optimizer.Evaluations} evaluations");
    }

    [Fact]
    public void Lbfgs_step_respects_max_iter_and_max_eval()
    {
        var point = new[] { -1.2, 1.0 };
        var objective = new Rosenbrock(point);
        var optimizer = new LbfgsOptimizer(2, 1.0);
        optimizer.Step(point, objective);
        Assert.True(optimizer.Iterations <= 20, $"{optimizer.Iterations} iterations in one step");

        // torch checks max_eval after each line search: the count can pass 25 only by the last search's evaluations.
        Assert.True(objective.Evaluations <= 24 + 25, $"{objective.Evaluations} evaluations in one step");
    }

    [Fact]
    public void Lbfgs_stop_request_returns_false_and_leaves_the_start_point()
    {
        var point = new[] { -1.2, 1.0 };
        var optimizer = new LbfgsOptimizer(2, 1.0);
        Assert.False(optimizer.Step(point, new StopAfter(new Rosenbrock(point), 2)));
        Assert.Equal(new[] { -1.2, 1.0 }, point);
    }

    [Fact]
    public void Cubic_interpolation_is_exact_on_a_parabola()
    {
        // f = (x − 0.3)²: f(0) = 0.09, f'(0) = −0.6, f(1) = 0.49, f'(1) = 1.4.
        double t = LbfgsOptimizer.CubicInterpolate(0.0, 0.09, -0.6, 1.0, 0.49, 1.4);
        Assert.Equal(0.3, t, 15);

        // Same with the points swapped, and clamped to bounds.
        Assert.Equal(0.3, LbfgsOptimizer.CubicInterpolate(1.0, 0.49, 1.4, 0.0, 0.09, -0.6), 15);
        Assert.Equal(0.5, LbfgsOptimizer.CubicInterpolate(0.0, 0.09, -0.6, 1.0, 0.49, 1.4, 0.5, 2.0), 15);
    }

    [Fact]
    public void Adam_first_step_moves_each_parameter_by_the_learning_rate_against_the_gradient_sign()
    {
        var point = new[] { -1.2, 1.0 };
        var objective = new Rosenbrock(point);
        var gradient = new double[2];
        objective.TryEvaluate(gradient, out _);
        var optimizer = new AdamOptimizer(2, 0.01);
        Assert.True(optimizer.Step(point, objective));

        // m̂ = g, v̂ = g² after one step: Δ = −lr·g/(|g| + 1e-8).
        Assert.Equal(-1.2 - 0.01 * gradient[0] / (Math.Abs(gradient[0]) + 1e-8), point[0], 15);
        Assert.Equal(1.0 - 0.01 * gradient[1] / (Math.Abs(gradient[1]) + 1e-8), point[1], 15);
    }

    [Fact]
    public void Adam_descends_rosenbrock()
    {
        var point = new[] { -1.2, 1.0 };
        var objective = new Rosenbrock(point);
        var optimizer = new AdamOptimizer(2, 0.02);
        for (int step = 0; step < 5000; step++)
        {
            optimizer.Step(point, objective);
        }

        Assert.True(Math.Abs(point[0] - 1) < 1e-2 && Math.Abs(point[1] - 1) < 2e-2, $"ended at ({point[0]:R}, {point[1]:R})");
    }

    /// <summary>f = Σ c_i (x_i − i)⁴: gradients of many sizes and both signs.</summary>
    private sealed class Quartic(double[] point) : IOptimizerObjective
    {
        public bool TryEvaluate(Span<double> gradient, out double value)
        {
            value = 0;
            for (int i = 0; i < point.Length; i++)
            {
                double d = point[i] - i, c = 1 + 0.37 * i;
                value += c * d * d * d * d;
                gradient[i] = 4 * c * d * d * d;
            }

            return true;
        }
    }

    [Theory]
    [InlineData(11)]
    [InlineData(16)]
    public void Adam_matches_the_torch_update_bit_for_bit_at_every_parameter(int count)
    {
        // The vector path (four parameters at a time) and the scalar tail must both be torch.optim.Adam's update.
        var point = Enumerable.Range(0, count).Select(i => Math.Sin(i) * 3).ToArray();
        var expected = (double[])point.Clone();
        var optimizer = new AdamOptimizer(count, 0.05);
        var objective = new Quartic(point);
        var firstMoment = new double[count];
        var secondMoment = new double[count];
        var gradient = new double[count];
        for (int step = 1; step <= 25; step++)
        {
            Assert.True(optimizer.Step(point, objective));

            new Quartic(expected).TryEvaluate(gradient, out _);
            double stepSize = 0.05 / (1 - Math.Pow(0.9, step)), correction = Math.Sqrt(1 - Math.Pow(0.999, step));
            for (int i = 0; i < count; i++)
            {
                firstMoment[i] += (1 - 0.9) * (gradient[i] - firstMoment[i]);
                secondMoment[i] = secondMoment[i] * 0.999 + (1 - 0.999) * gradient[i] * gradient[i];
                expected[i] -= stepSize * (firstMoment[i] / (Math.Sqrt(secondMoment[i]) / correction + 1e-8));
            }

            Assert.Equal(expected, point);
        }
    }
}
