using KanCompile.Interpretability.Hypotheses;
using KanCompile.Tests.Support;
using static KanCompile.Tests.Support.Jet;

namespace KanCompile.Tests.Interpretability;

/// <summary>
/// pykan's hypothesis tests (issue 18 item 1) on functions whose structure is known, with exact derivatives, and on
/// a trained model through its kernels' analytic input derivatives.
/// </summary>
public sealed class HypothesisTests
{
    /// <summary>Row-major points uniform in the ranges.</summary>
    private static double[] Points(int count, params (double Min, double Max)[] ranges)
    {
        var random = new Random(11);
        var points = new double[count * ranges.Length];
        for (int s = 0; s < count; s++)
        {
            for (int i = 0; i < ranges.Length; i++)
            {
                points[s * ranges.Length + i] = ranges[i].Min + (ranges[i].Max - ranges[i].Min) * random.NextDouble();
            }
        }

        return points;
    }

    private static readonly double[] Cube = Points(200, (-1, 1), (-1, 1), (-1, 1));

    [Fact]
    public void SumOfAVariableAndAProductSplitsAdditivelyAlongItsTerms()
    {
        var f = Function(3, x => x[0] + x[1] * x[2]);
        Assert.True(KanHypotheses.TestSeparability(f, Cube, [[0], [1, 2]]));
        Assert.False(KanHypotheses.TestSeparability(f, Cube, [[1], [0, 2]]));
        Assert.False(KanHypotheses.TestSeparability(f, Cube, [[0], [1, 2]], SeparabilityMode.Multiplicative));

        var detected = KanHypotheses.DetectSeparability(f, Cube);
        Assert.True(detected.IsSeparable);
        Assert.Equal([[0], [1, 2]], detected.Groups.Select(g => g.ToArray()));
        Assert.Equal([0, 1, 1], detected.Labels);
        Assert.Equal("additive separability detected: {0} + {1, 2}", detected.ToString());
    }

    [Fact]
    public void ProductWithASineIsMultiplicativelySeparableEvenAcrossZero()
    {
        var f = Function(2, x => x[0] * Sin(x[1]));
        var positive = Points(200, (0.5, 2), (0.2, 1.5));
        Assert.True(KanHypotheses.TestSeparability(f, positive, [[0], [1]], SeparabilityMode.Multiplicative));
        Assert.False(KanHypotheses.TestSeparability(f, positive, [[0], [1]]));

        // Where f crosses 0, log|f| is singular on two lines; the median over the points ignores them.
        var across = Points(200, (-1, 1), (-1.5, 1.5));
        Assert.True(KanHypotheses.TestSeparability(f, across, [[0], [1]], SeparabilityMode.Multiplicative));
        Assert.Equal([[0], [1]], KanHypotheses.DetectSeparability(f, across, SeparabilityMode.Multiplicative).Groups.Select(g => g.ToArray()));

        // A bias makes 1 + a·sin(b) multiplicative too.
        var shifted = Function(2, x => 1.0 + x[0] * Sin(x[1]));
        Assert.False(KanHypotheses.TestSeparability(shifted, positive, [[0], [1]], SeparabilityMode.Multiplicative));
        Assert.True(KanHypotheses.TestSeparability(shifted, positive, [[0], [1]], SeparabilityMode.Multiplicative, bias: -1.0));
    }

    [Fact]
    public void FunctionOfADifferenceIsSymmetricInThatPairOnly()
    {
        var f = Function(3, x => x[2] * Exp(-Square(x[0] - x[1])));
        Assert.True(KanHypotheses.TestSymmetry(f, Cube, [0, 1]));
        Assert.False(KanHypotheses.TestSymmetry(f, Cube, [0, 2]));
        Assert.False(KanHypotheses.TestSymmetry(f, Cube, [1, 2]));

        // pykan's docstring example: x0²·(x1 + x2) is symmetric in {1, 2}, not in {0, 2}.
        var pykan = Function(3, x => Square(x[0]) * (x[1] + x[2]));
        Assert.True(KanHypotheses.TestSymmetry(pykan, Cube, [1, 2]));
        Assert.False(KanHypotheses.TestSymmetry(pykan, Cube, [0, 2]));

        // Every input (or none) is trivially a symmetry.
        Assert.True(KanHypotheses.TestSymmetry(f, Cube, [0, 1, 2]));
    }

    [Fact]
    public void GeneralSeparabilityFindsAFunctionOfASum()
    {
        // pykan's docstring example: x0²·(x1² + x2²)² = F(g(x0) + h(x1, x2)) but not across {1} | {0, 2}.
        var f = Function(3, x => Square(x[0]) * Square(Square(x[1]) + Square(x[2])));
        Assert.True(KanHypotheses.TestGeneralSeparability(f, Cube, [[0], [1, 2]]));
        Assert.False(KanHypotheses.TestGeneralSeparability(f, Cube, [[1], [0, 2]]));

        // Relativistic velocity addition is tanh(atanh a + atanh b); sqrt(1 + a² + b²) is a root of a sum.
        var square = Points(200, (-0.8, 0.8), (-0.8, 0.8));
        Assert.True(KanHypotheses.TestGeneralSeparability(Function(2, x => (x[0] + x[1]) / (1.0 + x[0] * x[1])), square, [[0], [1]]));
        Assert.True(KanHypotheses.TestGeneralSeparability(Function(2, x => Sqrt(1.0 + Square(x[0]) + Square(x[1]))), square, [[0], [1]]));
        Assert.False(KanHypotheses.TestGeneralSeparability(Function(2, x => x[0] + x[1] * Sin(x[0])), square, [[0], [1]]));
    }

    [Fact]
    public void MoleculesAndTreeReadTheNesting()
    {
        // pykan's get_molecule example, on four inputs.
        var f = Function(4, x => Square(Square(Square(x[0]) + Square(x[1])) + Square(Square(x[2]) + Square(x[3]))));
        var points = Points(200, (-1, 1), (-1, 1), (-1, 1), (-1, 1));
        var molecules = KanHypotheses.GetMolecule(f, points);
        Assert.Equal(3, molecules.Count);
        Assert.Equal([[0], [1], [2], [3]], molecules[0].Select(m => m.ToArray()));
        Assert.Equal([[0, 1], [2, 3]], molecules[1].Select(m => m.ToArray()));
        Assert.Equal([[0, 1, 2, 3]], molecules[2].Select(m => m.ToArray()));

        var tree = KanHypotheses.GetTree(f, points);
        Assert.Equal("GS(GS(x1, x2), GS(x3, x4))", tree.ToText());
        Assert.All(tree.Nodes[0], node => Assert.Equal(2, node.Arity));

        var sum = KanHypotheses.GetTree(Function(3, x => x[0] + x[1] * x[2]), Cube);
        Assert.Equal("(a + GS(b, c))", sum.ToText(["a", "b", "c"]));
        Assert.Equal(DependencyProperty.Additive, sum.Nodes[^1][0].Property);
        Assert.Equal([0, 1, 2], sum.InputOrder);
    }

    [Fact]
    public void ATrainedModelIsTestedThroughItsOwnDerivatives()
    {
        // A sum of two one-variable functions, learned by a [2,3,1] KAN: its Hessian (from the splines' derivatives)
        // has small cross terms, and a product's has large ones.
        var sum = KanDataset.FromFunction(x => Math.Sin(2 * x[0]) + x[1] * x[1], 2, trainCount: 300, testCount: 10);
        var additive = new KanNetwork([2, 3, 1], 5, 3, seed: 1, engine: KanEngine.Reference);
        additive.Fit(sum, new FitOptions { Steps = 30 });
        var product = KanDataset.FromFunction(x => Math.Sin(2 * x[0]) * x[1], 2, trainCount: 300, testCount: 10);
        var multiplicative = new KanNetwork([2, 3, 1], 5, 3, seed: 1, engine: KanEngine.Reference);
        multiplicative.Fit(product, new FitOptions { Steps = 30 });

        var points = Points(150, (-0.9, 0.9), (-0.9, 0.9));
        double additiveScore = KanHypotheses.SeparabilityScore(additive, points, [[0], [1]]);
        double productScore = KanHypotheses.SeparabilityScore(multiplicative, points, [[0], [1]]);
        Assert.True(additiveScore < 0.05, $"sum: {additiveScore}");
        Assert.True(productScore > 0.3, $"product: {productScore}");
        Assert.Equal([[0], [1]], KanHypotheses.DetectSeparability(additive, points, scoreThreshold: 0.05).Groups.Select(g => g.ToArray()));
    }

    [Fact]
    public void BadGroupsAndPointsNameTheProblem()
    {
        var f = Function(3, x => x[0] + x[1] * x[2]);
        var outside = Assert.Throws<ArgumentException>(() => KanHypotheses.TestSeparability(f, Cube, [[0], [3]]));
        Assert.Contains("Input index 3 is out of range", outside.Message);
        var twice = Assert.Throws<ArgumentException>(() => KanHypotheses.TestSeparability(f, Cube, [[0, 1], [1, 2]]));
        Assert.Contains("more than one group", twice.Message);
        var ragged = Assert.Throws<ArgumentException>(() => KanHypotheses.TestSymmetry(f, new double[7], [0, 1]));
        Assert.Contains("row-major", ragged.Message);
    }
}
