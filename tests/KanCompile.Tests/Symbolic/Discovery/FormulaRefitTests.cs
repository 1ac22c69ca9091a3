using KanCompile.Numerics;
using KanCompile.Symbolic;
using KanCompile.Symbolic.Discovery;
using KanCompile.Symbolic.Expressions;

namespace KanCompile.Tests.Symbolic.Discovery;

/// <summary>
/// The printed formula's readability by refitting (issue #8: simplified output): a network's parametrisation
/// (difference of squares, tiny shifts under roots, terms that cancel only approximately) is multiplied out, its
/// constants refitted and its unneeded terms dropped — only where the RMSE on held-back rows stays within 1e-12.
/// </summary>
public sealed class FormulaRefitTests
{
    private static readonly SymbolicFunction Cos = SymbolicLibrary.Default.Get("cos");
    private static readonly SymbolicFunction Exp = SymbolicLibrary.Default.Get("exp");

    private static (SearchRows Fit, SearchRows Check) Rows(Func<double, double, double> law, int seed)
    {
        SearchRows Make(int count, int s)
        {
            var random = new KanRandom(s);
            var inputs = new double[2 * count];
            var labels = new double[count];
            for (int k = 0; k < count; k++)
            {
                inputs[2 * k] = 0.1 + 1.9 * random.NextDouble();
                inputs[2 * k + 1] = -3.0 + 6.0 * random.NextDouble();
                labels[k] = law(inputs[2 * k], inputs[2 * k + 1]);
            }

            return new SearchRows(inputs, labels, 2, 1);
        }

        return (Make(200, seed), Make(100, seed + 1));
    }

    private static SymbolicExpression A => SymbolicExpression.Variable(0);

    private static SymbolicExpression B => SymbolicExpression.Variable(1);

    private static SymbolicExpression C(double value) => SymbolicExpression.Constant(value);

    /// <summary>p·(α·sqrt(β·a + ε) + γ·cos b)² − q·(δ·sqrt(β'·a + ε') − η·cos b)² + k, as the product template learns it.</summary>
    private static SymbolicExpression DifferenceOfSquares(double epsilon1, double epsilon2)
    {
        // (sqrt(a) + cos b)² − (sqrt(a) − cos b)² = 4·sqrt(a)·cos b; scaled into the template's redundant constants.
        var first = SymbolicExpression.Add(
            C(0.39) * SymbolicExpression.Power(C(9.1) * A + C(epsilon1), 0.5),
            C(0.39 * Math.Sqrt(9.1)) * SymbolicExpression.Call(Cos, B));
        var second = SymbolicExpression.Add(
            C(0.23) * SymbolicExpression.Power(C(8.0) * A + C(epsilon2), 0.5),
            C(-0.23 * Math.Sqrt(8.0)) * SymbolicExpression.Call(Cos, B));
        double p = 0.5 / (0.39 * 0.39 * 9.1), q = 0.5 / (0.23 * 0.23 * 8.0);
        return SymbolicExpression.Add(
            C(p) * SymbolicExpression.Power(first, 2),
            C(-q) * SymbolicExpression.Power(second, 2),
            C(1.0) + A * C(1.0));
    }

    [Fact]
    public void DifferenceOfSquaresWithTinyShiftsReadsAsTheLawItEncodes()
    {
        // Labels of the law itself; the formula is off by its fitted shifts (~1e-9 relative), like a found formula.
        var (fit, check) = Rows((a, b) => 1 + a + 2 * Math.Sqrt(a) * Math.Cos(b), seed: 5);
        var formula = DifferenceOfSquares(-7e-9, 1e-8).Simplify();
        double tolerance = 1e-12 * check.LabelScale();
        double before = FormulaSelection.Rmse([formula], check);
        Assert.True(before > 1e-12 && before < 1e-6, $"{before}");

        var tidy = FormulaSimplification.Tidy([formula], fit, check, tolerance);

        string text = tidy[0].ToText(["a", "b"]);
        Assert.Equal("a + 2*sqrt(a)*cos(b) + 1", text);
        Assert.True(FormulaSelection.Rmse(tidy, check) <= before + tolerance, text);
    }

    [Fact]
    public void ExponentsNextToAHalfIntegerAreSnappedWhenTheRowsAgree()
    {
        // asin(a·b^−1.0000000014) as exp(c·log b) leaves it: the reading with b^−1 refits to the rows exactly.
        var (fit, check) = Rows((a, b) => Math.Asin(0.05 * a / (4 + b)), seed: 13);
        var arcsin = SymbolicLibrary.Default.Get("arcsin");
        var formula = SymbolicExpression.Call(arcsin, C(0.05) * A * SymbolicExpression.Power(B + C(4), -1.0000000014)).Simplify();
        double before = FormulaSelection.Rmse([formula], check);
        var tidy = FormulaSimplification.Tidy([formula], fit, check, 1e-12 * check.LabelScale());
        string text = tidy[0].ToText(["a", "b"]);
        Assert.DoesNotContain("1.00000", text);
        Assert.True(FormulaSelection.Rmse(tidy, check) <= before + 1e-12 * check.LabelScale(), text);
    }

    [Fact]
    public void TermsStayWhenDroppingThemWouldCostAccuracy()
    {
        // 1e-3·cos(b)² is small but real: the refit keeps it (dropping it would raise the RMSE far beyond 1e-12).
        var (fit, check) = Rows((a, b) => a + 1e-3 * Math.Cos(b) * Math.Cos(b), seed: 9);
        var formula = (A + C(1e-3) * SymbolicExpression.Power(SymbolicExpression.Call(Cos, B), 2)).Simplify();
        var tidy = FormulaSimplification.Tidy([formula], fit, check, 1e-12 * check.LabelScale());
        Assert.Contains("cos(b)", tidy[0].ToText(["a", "b"]));
        Assert.True(FormulaSelection.Rmse(tidy, check) <= 1e-12 * check.LabelScale());
    }

    [Fact]
    public void RefitPolishesEveryConstantIncludingThoseInsideFunctions()
    {
        var (fit, _) = Rows((a, b) => 3 * Math.Exp(-0.5 * b) + a, seed: 3);
        var guess = (C(2.9) * SymbolicExpression.Call(Exp, C(-0.47) * B) + C(1.02) * A).Simplify();
        var refit = FormulaRefit.Refit(guess, 0, fit)!;
        Assert.True(FormulaRefit.Rmse(refit, 0, fit) < 1e-12, refit.ToText(["a", "b"]));
    }

    [Fact]
    public void ExponentsNearAHalfSnapOnlyWithinTheTolerance()
    {
        // b^0.99993·exp(−0.49998·a²), as exp(c·log b) leaves it: the exponent snaps to 1 within 1e-2, not within 1e-6.
        var formula = C(0.3989) * SymbolicExpression.Power(B, -0.99993) * SymbolicExpression.Call(Exp, C(-0.49998) * SymbolicExpression.Power(A, 2));
        var snapped = FormulaRefit.SnapExponents(formula, 1e-2);
        Assert.Contains("/b", snapped.ToText(["a", "b"]));
        Assert.DoesNotContain("0.99993", snapped.ToText(["a", "b"]));
        Assert.Equal(formula.Simplify().ToText(), FormulaRefit.SnapExponents(formula, 1e-6).ToText());

        // The exponent 2 of a² is already a half-multiple and the constants are not exponents: both stay.
        Assert.Contains("0.49998", snapped.ToText(["a", "b"]));
    }
}
