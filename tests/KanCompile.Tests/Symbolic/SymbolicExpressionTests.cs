using KanCompile.Symbolic;
using KanCompile.Symbolic.Expressions;

namespace KanCompile.Tests.Symbolic;

/// <summary>Simplifier, rounding and the three printers.</summary>
public sealed class SymbolicExpressionTests
{
    private static readonly SymbolicExpression X1 = SymbolicExpression.Variable(0);
    private static readonly SymbolicExpression X2 = SymbolicExpression.Variable(1);

    private static SymbolicExpression C(double value) => SymbolicExpression.Constant(value);

    [Fact]
    public void MergesNestedAffineMaps()
    {
        // 2·(3·(0.5·x + 1) + 4) − 1 = 3·x + 13
        var nested = SymbolicExpression.Affine(SymbolicExpression.Affine(SymbolicExpression.Affine(X1, 0.5, 1), 3, 4), 2, -1);

        Assert.Equal("3*x1 + 13", nested.Simplify().ToText());
    }

    [Fact]
    public void DropsUnitFactorsZeroTermsAndFoldsConstants()
    {
        var e = C(1) * SymbolicLibrary.Default["sin"].Apply(C(1) * X1 + C(0)) + C(0) * X2 + C(2) * C(3);

        Assert.Equal("sin(x1) + 6", e.Simplify().ToText());
        Assert.Equal("0.8414709848078965", SymbolicLibrary.Default["sin"].Apply(C(1)).Simplify().ToText());
    }

    [Fact]
    public void CombinesLikeTermsAndRemovesCancellingOnes()
    {
        var sin = SymbolicLibrary.Default["sin"];
        var e = SymbolicExpression.Add(C(2) * sin.Apply(X1), C(3) * X2, C(-2) * sin.Apply(X1), X2);

        Assert.Equal("4*x2", e.Simplify().ToText());
    }

    [Fact]
    public void PowersOfPowersAndUnitExponentsSimplify()
    {
        var e = SymbolicExpression.Power(SymbolicExpression.Power(X1, 0.5), 4);

        Assert.Equal("x1^2", e.Simplify().ToText());
        Assert.Equal("x1", SymbolicExpression.Power(X1, 1).Simplify().ToText());
        Assert.Equal("1", SymbolicExpression.Power(X1, 0).Simplify().ToText());
    }

    [Fact]
    public void RoundUsesRoundHalfEvenAndDropsTermsThatRoundToZero()
    {
        var e = SymbolicExpression.Add(C(3.14159) * X1, C(0.00004) * X2, C(1.00001));

        Assert.Equal("3.1416*x1 + 1", e.Round(4).ToText());
        Assert.Throws<ArgumentOutOfRangeException>(() => e.Round(-1));
    }

    [Fact]
    public void PrintsNegativeTermsPowersAndReciprocals()
    {
        var lib = SymbolicLibrary.Default;
        var e = SymbolicExpression.Add(
            C(-1.3) * lib["x^2"].Apply(SymbolicExpression.Affine(X2, 0.9, 0.4)),
            C(2) * lib["1/x"].Apply(X1),
            lib["sqrt"].Apply(X1 + C(1)),
            C(-1) * lib["1/x^2"].Apply(X2),
            C(-0.4)).Simplify();

        Assert.Equal("-1.3*(0.9*x2 + 0.4)^2 + 2/x1 + sqrt(x1 + 1) - 1/x2^2 - 0.4", e.ToText());
        Assert.Equal(
            "-1.3 * Math.Pow(0.9 * x2 + 0.4, 2.0) + 2.0 * (1.0 / x1) + Math.Sqrt(x1 + 1.0) - Math.Pow(x2, -2.0) - 0.4",
            e.ToCSharp());
        Assert.Equal(
            @"-1.3 \left(0.9 x_{2} + 0.4\right)^{2} + 2 \frac{1}{x_{1}} + \sqrt{x_{1} + 1} - \frac{1}{x_{2}^{2}} - 0.4",
            e.ToLatex());
    }

    [Fact]
    public void OddAndEvenFunctionsTakeTheSignOutOfTheirArgument()
    {
        var library = SymbolicLibrary.Default;
        var odd = library["sin"].Apply(C(-2) * X1 + C(1)).Simplify();
        var even = library["cos"].Apply(C(-2) * X1 + C(1)).Simplify();
        var neither = library["sqrt"].Apply(C(-2) * X1).Simplify();
        Assert.Equal("-sin(2*x1 - 1)", odd.ToText());
        Assert.Equal("cos(2*x1 - 1)", even.ToText());
        Assert.Equal("sqrt(-2*x1)", neither.ToText());
        foreach (double x in new[] { -0.7, 0.2, 1.3 })
        {
            Assert.Equal(Math.Sin(-2 * x + 1), odd.Evaluate([x]), 1e-15);
            Assert.Equal(Math.Cos(-2 * x + 1), even.Evaluate([x]), 1e-15);
        }
    }

    [Fact]
    public void ExpSheddsItsConstantAndPowersDistributeOverCoefficients()
    {
        var e = SymbolicLibrary.Default["exp"].Apply(SymbolicExpression.Power(C(-3) * X1, 2) + C(0.5)).Simplify();
        Assert.Equal(Math.Exp(0.5) + "*exp(9*x1^2)", e.ToText());
        Assert.Equal(Math.Exp(9 * 0.04 + 0.5), e.Evaluate([0.2]), 1e-14);
        var root = SymbolicExpression.Power(C(-4) * X1, 0.5).Simplify();
        Assert.Equal(Math.Sqrt(-4 * -0.3), root.Evaluate([-0.3]), 1e-15);
    }

    [Fact]
    public void GaussianAppliesAsExpOfMinusSquare()
    {
        var e = SymbolicLibrary.Default["gaussian"].Apply(C(2) * X1).Simplify();

        Assert.Equal("exp(-4*x1^2)", e.ToText());
        Assert.Equal(Math.Exp(-1.44), e.Evaluate([0.6]), 1e-15);
    }

    [Fact]
    public void EvaluateNamesAMissingInput()
    {
        var error = Assert.Throws<ArgumentException>(() => (X1 + X2).Evaluate([1.0]));

        Assert.Contains("x2", error.Message);
    }

    [Fact]
    public void PrintingWithTooFewNamesFails()
    {
        Assert.Throws<ArgumentException>(() => (X1 + X2).ToText(["a"]));
    }

    [Fact]
    public void ComposeSkipsAbsentEdgesAndAppliesNodeAffineMaps()
    {
        var first = new SymbolicLayer(2, 2);
        first.SetEdge(0, 0, "x", 1, 0, 2, 0);
        first.SetEdge(1, 1, "sin", 1, 0, 1, 0);
        first.NodeScale[1] = 3;
        first.NodeBias[1] = 0.5;
        var second = new SymbolicLayer(2, 1);
        second.SetEdge(0, 0, "x", 1, 0, 1, 0);
        second.SetEdge(1, 0, "x^2", 1, 0, 1, 0);

        var output = Assert.Single(SymbolicFormula.Compose([first, second]));

        Assert.Equal("2*x1 + (3*sin(x2) + 0.5)^2", output.Simplify().ToText());
        var error = Assert.Throws<ArgumentException>(() => SymbolicFormula.Compose([second, first]));
        Assert.Contains("widths must chain", error.Message);
    }
}
