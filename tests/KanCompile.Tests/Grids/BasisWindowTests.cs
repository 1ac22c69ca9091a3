using KanCompile.Splines;

namespace KanCompile.Tests.Grids;

/// <summary>The local basis evaluator must give the dense reference recursion's values bit for bit.</summary>
public class BasisWindowTests
{
    [Theory]
    [InlineData(5, 0)]
    [InlineData(5, 1)]
    [InlineData(5, 3)]
    [InlineData(1, 2)]
    [InlineData(17, 5)]
    public void Equals_the_dense_recursion_exactly(int gridSize, int order)
    {
        var random = new Random(gridSize * 10 + order);
        var interior = Enumerable.Range(0, gridSize + 1).Select(_ => random.NextDouble() * 4 - 2).Order().ToArray();
        foreach (double[] knots in new[] { KnotVector.Uniform(gridSize, order, -1, 1), KnotVector.Extend(interior, order) })
        {
            var points = knots.Concat(Enumerable.Range(0, 400).Select(_ => knots[0] - 1 + (knots[^1] - knots[0] + 2) * random.NextDouble()))
                .Append(Math.BitDecrement(knots[^1])).Append(knots[0]).ToArray();
            var dense = new double[gridSize + order];
            var window = new double[order + 1];
            foreach (double x in points)
            {
                BSplineBasis.Evaluate(x, knots, order, dense);
                var expected = dense.ToArray();
                var actual = new double[gridSize + order];
                if (BasisWindow.Evaluate(x, knots, order, window, out int first))
                {
                    for (int q = 0; q <= order; q++)
                    {
                        if (first + q >= 0 && first + q < actual.Length)
                        {
                            actual[first + q] = window[q];
                        }
                        else
                        {
                            Assert.Equal(0.0, window[q]);
                        }
                    }
                }

                for (int m = 0; m < expected.Length; m++)
                {
                    Assert.True(expected[m] == actual[m], $"x = {x:R}, m = {m}: dense {expected[m]:R}, window {actual[m]:R}");
                }
            }
        }
    }
}
