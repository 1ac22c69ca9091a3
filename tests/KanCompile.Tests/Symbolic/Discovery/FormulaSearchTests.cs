using KanCompile.Symbolic;
using KanCompile.Symbolic.Discovery;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Symbolic.Discovery;

/// <summary>
/// The formula search (issues #8, #18) end to end on small laws, with its one default configuration: exact recovery,
/// the structure found, determinism, and "no formula found" (never a NaN formula) otherwise; and the shape search
/// alone (<see cref="FormulaSearchOptions.StructureSearch"/> off), whose formulas come with a symbolic model.
/// </summary>
public sealed class FormulaSearchTests
{
    private static KanDataset Law(Func<double, double, double> law, (double, double) a, (double, double) b, int rows = 600) =>
        KanDataset.FromFunction(x => law(x[0], x[1]), 2, ranges: new[] { a, b }, trainCount: rows, testCount: 300);

    private static void AssertExact(FormulaSearchResult result)
    {
        Assert.True(result.Found, result.Message);
        Assert.NotNull(result.Chosen);
        Assert.True(result.Chosen!.IsExact, result.ToString());
        Assert.True(result.TestRmse <= 1e-8, result.ToString());
        Assert.DoesNotContain("NaN", result.Formula!.ToText());
        Assert.Contains(result.Chosen, result.Candidates);

        // A formula read off a network comes with the symbolic model that computes it; one the structure search
        // assembled comes with the structure it found instead.
        Assert.True((result.SymbolicModel is null) == (result.Structure is not null), result.ToString());
    }

    private static readonly FormulaSearchOptions ShapesOnly = new() { StructureSearch = false };

    [Fact]
    public void QuickStartLawIsRecoveredByItsStructure()
    {
        var result = KanFormulaSearch.Discover(Law((x, y) => Math.Exp(Math.Sin(Math.PI * x) + y * y), (-1, 1), (-1, 1)));
        AssertExact(result);
        string text = result.Formula!.ToText();
        Assert.Contains("exp(", text);
        Assert.Contains("sin(", text);
        // exp(sin(πx1))·exp(x2²), or exp of x1's part plus x2's: either reading splits x1 from x2.
        Assert.NotNull(result.Structure);
        Assert.Contains(result.Structure!.Kind, new[] { FormulaStructureKind.Multiplicative, FormulaStructureKind.OuterFunction });
        Assert.Contains("separable: {x1}", result.Structure.ToText());
        Assert.NotEmpty(result.StructuresTried);
    }

    [Fact]
    public void QuickStartLawIsRecoveredByTheShapeSearchWithItsSymbolicModel()
    {
        var result = KanFormulaSearch.Discover(Law((x, y) => Math.Exp(Math.Sin(Math.PI * x) + y * y), (-1, 1), (-1, 1)), ShapesOnly);
        AssertExact(result);
        string text = result.Formula!.ToText();
        Assert.Contains("exp(", text);
        Assert.Contains("sin(", text);

        // The symbolic model computes the same formula (it is what the CLI saves and exports).
        var predicted = new double[1];
        var expected = new double[1];
        var input = new[] { 0.3, -0.7 };
        result.SymbolicModel!.Predict(input, predicted);
        result.Formula.Evaluate(input, expected);
        Assert.Equal(expected[0], predicted[0], 1e-9);
    }

    [Fact]
    public void SquareRootOfASumOfSquaresIsRecoveredAndTheSearchIsDeterministic()
    {
        var data = Law((a, b) => Math.Sqrt(1 + a * a + b * b), (-1, 1), (-1, 1));
        var first = KanFormulaSearch.Discover(data);
        AssertExact(first);
        Assert.Equal("sqrt(x1^2 + x2^2 + 1)", first.Formula!.ToText());
        Assert.Contains("sqrt(", first.Formula!.ToText());
        var second = KanFormulaSearch.Discover(data);
        Assert.Equal(first.Formula!.ToText(), second.Formula!.ToText());
        Assert.Equal(first.TestRmse, second.TestRmse);
        Assert.Equal(first.Candidates.Count, second.Candidates.Count);
    }

    [Fact]
    public void ProductOnPositiveRangesIsRecovered()
    {
        // exp(log a + log b) on a single hidden node, or a difference of squares: either is exact.
        AssertExact(KanFormulaSearch.Discover(Law((a, b) => a * b, (0.5, 2), (0.5, 2)), ShapesOnly));
    }

    [Fact]
    public void ProductAcrossZeroIsReadAsAProductByTheStructureSearch()
    {
        var result = KanFormulaSearch.Discover(Law((a, b) => a * b, (-1, 1), (-1, 1)));
        AssertExact(result);
        Assert.Equal("x1*x2", result.Formula!.ToText());
        Assert.Equal("structure", result.Chosen!.Shape);
        Assert.StartsWith("exact formula from the structure search", result.Message);
    }

    [Fact]
    public void ProductAcrossZeroIsRecoveredByAMultiplicationNode()
    {
        // No log-sum reading exists across 0: the [2,[0,1],1] shape holds the product itself.
        var result = KanFormulaSearch.Discover(Law((a, b) => a * b, (-1, 1), (-1, 1)), ShapesOnly);
        AssertExact(result);
        Assert.Equal("x1*x2", result.Formula!.ToText());
        Assert.Equal([0, 1, 0], result.SymbolicModel!.MultiplicationNodes);

        // Reported in pykan's notation, as the search's progress names the shape.
        Assert.Equal("[2,[0,1],1]", result.Chosen!.Shape);
        Assert.StartsWith("exact formula from [2,[0,1],1] seed", result.Message);
    }

    [Fact]
    public void DifferenceOfSquaresTemplateStillHoldsAProductWithoutMultiplicationNodes()
    {
        var options = new FormulaSearchOptions { MaxMultiplicationNodes = 0, MaxModels = 2, StructureSearch = false };
        var result = KanFormulaSearch.Discover(Law((a, b) => a * b, (-1, 1), (-1, 1)), options);
        AssertExact(result);
        Assert.Equal([2, 2, 1], result.Chosen!.Widths);
        Assert.Equal("x1*x2", result.Formula!.ToText());
    }

    [Fact]
    public void LawWithoutClosedFormEndsWithNoFormulaAndTheBestSplineModel()
    {
        // A Bessel function is not in the library, nor any composition of its functions.
        var options = new FormulaSearchOptions { MaxModels = 2 };
        var data = Law((x, y) => Bessel.J0(6 * x) + y, (-1, 1), (-1, 1));
        var result = KanFormulaSearch.Discover(data, options);
        Assert.False(result.Found, result.ToString());
        Assert.Null(result.Formula);
        Assert.Null(result.TestRmse);
        Assert.Null(result.SymbolicModel);
        Assert.StartsWith("no formula found", result.Message);
        Assert.NotNull(result.SplineModel);
        // The spline model returned is the one whose test RMSE is reported.
        var predictions = new double[data.TestCount];
        result.SplineModel.Predict(data.TestInputs, predictions);
        double rmse = Math.Sqrt(predictions.Select((p, k) => (p - data.TestLabels[k]) * (p - data.TestLabels[k])).Average());
        Assert.True(double.IsFinite(result.SplineTestRmse), result.Message);
        Assert.Equal(rmse, result.SplineTestRmse, 1e-12);
        Assert.All(result.Candidates, c => Assert.False(double.IsNaN(c.ValidationRmse)));
    }

    [Fact]
    public void InvalidOptionsNameTheSetting()
    {
        var data = Law((a, b) => a + b, (-1, 1), (-1, 1), rows: 50);
        var error = Assert.Throws<ArgumentException>(() => KanFormulaSearch.Discover(data, new FormulaSearchOptions { TopK = 0 }));
        Assert.Contains("TopK", error.Message);
    }
}
