using KanCompile.Splines;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Splines;

/// <summary>
/// The reference basis's first, second and third derivatives against central differences of the order below, on
/// uniform and irregular grids, inside the grid and in its padding zone (away from knots, where the pieces meet); and
/// the known shapes: order 1 has no second derivative, order 2 a piecewise-constant one.
/// </summary>
public class BasisDerivativeTests
{
    [Theory]
    [InlineData(5, 1)]
    [InlineData(5, 2)]
    [InlineData(5, 3)]
    [InlineData(3, 4)]
    [InlineData(7, 5)]
    public void Each_derivative_is_the_central_difference_of_the_one_below(int gridSize, int order)
    {
        var random = new Random(gridSize * 10 + order);
        var interior = Enumerable.Range(0, gridSize + 1).Select(_ => random.NextDouble() * 4 - 2).Order().ToArray();
        foreach (double[] knots in new[] { KnotVector.Uniform(gridSize, order, -1, 1), KnotVector.Extend(interior, order) })
        {
            int count = gridSize + order;
            const double h = 1e-6;
            for (int trial = 0; trial < 60; trial++)
            {
                double x = knots[0] + (knots[^1] - knots[0]) * random.NextDouble();
                if (knots.Any(t => Math.Abs(t - x) < 10 * h))
                {
                    continue;
                }

                double[][] at = Derivatives(x, knots, order, count);
                double[][] up = Derivatives(x + h, knots, order, count);
                double[][] down = Derivatives(x - h, knots, order, count);
                for (int r = 1; r <= 3; r++)
                {
                    for (int m = 0; m < count; m++)
                    {
                        double difference = (up[r - 1][m] - down[r - 1][m]) / (2 * h);
                        double scale = Math.Max(1.0, Math.Abs(difference));
                        Assert.True(Math.Abs(at[r][m] - difference) <= 1e-5 * scale, $"k={order} x={x} D{r}B{m} = {at[r][m]}, central difference {difference}");
                    }
                }
            }
        }
    }

    [Fact]
    public void The_first_derivative_is_unchanged_by_asking_for_more()
    {
        double[] knots = KnotVector.Uniform(6, 3, -1, 1);
        foreach (double x in new[] { -1.7, -0.33, 0.0, 0.5, 1.0, 1.9 })
        {
            var values = new double[9];
            var first = new double[9];
            BSplineBasis.Evaluate(x, knots, 3, values, first);
            double[][] all = Derivatives(x, knots, 3, 9);
            Assert.Equal(values, all[0]);
            Assert.Equal(first, all[1]);
        }
    }

    [Fact]
    public void Orders_one_and_two_have_the_expected_curvature()
    {
        double[] linear = KnotVector.Uniform(4, 1, -1, 1);
        double[] quadratic = KnotVector.Uniform(4, 2, -1, 1);
        double[] quadraticAtStart = Derivatives(0.1, quadratic, 2, 6)[2];
        foreach (double x in new[] { -1.3, -0.2, 0.3, 0.9 })
        {
            Assert.All(Derivatives(x, linear, 1, 5)[2], v => Assert.Equal(0.0, v));
            Assert.All(Derivatives(x, quadratic, 2, 6)[3], v => Assert.Equal(0.0, v));
        }

        // Within one interval ([0, 0.5) here) the quadratic basis has constant second derivatives.
        Assert.Equal(quadraticAtStart, Derivatives(0.45, quadratic, 2, 6)[2].Select(v => v), new ToleranceComparer(1e-12));
    }

    [Fact]
    public void Everything_is_zero_beyond_the_extended_grid()
    {
        double[] knots = KnotVector.Uniform(5, 3, -1, 1);
        foreach (double x in new[] { -2.3, 2.2, 5.0 })
        {
            Assert.All(Derivatives(x, knots, 3, 8), level => Assert.All(level, v => Assert.Equal(0.0, v)));
        }
    }

    private static double[][] Derivatives(double x, double[] knots, int order, int count)
    {
        double[][] result = [new double[count], new double[count], new double[count], new double[count]];
        BSplineBasis.Evaluate(x, knots, order, result[0], result[1], result[2], result[3]);
        return result;
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Sampling.RelativeError(x, y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
