using KanCompile.Symbolic;
using KanCompile.Symbolic.Discovery;
using KanCompile.Symbolic.Expressions;

namespace KanCompile.Tests.Symbolic.Discovery;

/// <summary>
/// Laws that read as written (issue 18 item 4): equivalent forms by identities, checked on rows, the shortest kept;
/// constants snapped to simple numbers only where the rows confirm it.
/// </summary>
public sealed class FormulaReadingsTests
{
    private static readonly SymbolicLibrary Library = SymbolicLibrary.Default;
    private static readonly SymbolicExpression A = SymbolicExpression.Variable(0), B = SymbolicExpression.Variable(1), C = SymbolicExpression.Variable(2);

    private static SymbolicExpression K(double value) => SymbolicExpression.Constant(value);

    private static SymbolicExpression F(string name, SymbolicExpression argument) => Library.Get(name).Apply(argument);

    private static SymbolicExpression Inverse(SymbolicExpression u) => SymbolicExpression.Power(u, -1.0);

    /// <summary>The reading of <paramref name="formula"/>, judged on rows of <paramref name="truth"/> (or the formula itself).</summary>
    private static string Read(SymbolicExpression formula, (double Min, double Max)[] ranges, Func<double[], double>? truth = null)
    {
        var random = new Random(4);
        int n = ranges.Length;
        var inputs = new double[200 * n];
        var labels = new double[200];
        for (int s = 0; s < 200; s++)
        {
            var x = ranges.Select(r => r.Min + (r.Max - r.Min) * random.NextDouble()).ToArray();
            x.CopyTo(inputs, s * n);
            labels[s] = truth?.Invoke(x) ?? formula.Evaluate(x);
        }

        var rows = new SearchRows(inputs, labels, n, 1);
        double limit = FormulaRefit.Rmse(formula, 0, rows) + 1e-12 * rows.LabelScale();
        return FormulaReadings.Best(formula.Simplify(), 0, rows, limit).ToText(new[] { "a", "b", "c" }[..n]);
    }

    [Fact]
    public void InverseTrigonometricCompositionsReadAsRoots()
    {
        Assert.Equal("(1 - a)/sqrt(1 - b^2)", Read((K(1) + K(-1) * A) * Inverse(F("cos", F("arcsin", B))), [(-1, 1), (-0.8, 0.8)]));
    }

    [Fact]
    public void HyperbolicFunctionsReadThroughExpAndLog()
    {
        Assert.Equal("(a + b)/(a*b + 1)", Read(F("tanh", F("arctanh", A) + F("arctanh", B)), [(-0.8, 0.8), (-0.8, 0.8)]));
        Assert.Equal("a/(exp(b) + exp(-b))", Read(K(0.5) * A * F("cos", F("arcsin", F("tanh", B))), [(0.5, 2), (-2, 2)]));
        Assert.Equal("a/(1 - b/c)", Read(K(0.5) * A * (F("exp", K(2) * F("arctanh", B * Inverse(C))) + K(1)), [(0.5, 2), (0, 0.9), (1.1, 2)]));
    }

    [Fact]
    public void SumsGoOverOneDenominatorWithSignsThatRead()
    {
        // −9b/(a − 3) − 3b is 3ab/(3 − a).
        Assert.Equal("3*a*b/(3 - a)", Read(K(-9) * B * Inverse(A + K(-3)) + K(-3) * B, [(0, 2), (0.5, 2)]));
    }

    [Fact]
    public void FactorsCommonToEveryTermArePulledOut()
    {
        Assert.Equal("a*(b*cos(c) + 1)", Read(A + A * B * F("cos", C), [(0.5, 2), (0, 1), (-3, 3)]));
        Assert.Equal("cos(a) + b*cos(a)^2", Read(B + F("cos", A) + K(-1) * B * SymbolicExpression.Power(F("sin", A), 2), [(-3, 3), (0, 1)]));
    }

    [Fact]
    public void CoefficientsAgreeingWithinToleranceLeaveASquareRoot()
    {
        // Exact output of an unseen law: the coefficients inside differ in the 12th digit, the one outside is their 1/√.
        var inside = K(1.054217597748) * SymbolicExpression.Power(A, 2) + K(-1.05421759775) * SymbolicExpression.Power(B, 2);
        var formula = K(0.973945979753) * SymbolicExpression.Power(inside, 0.5);
        Assert.Equal("sqrt(a^2 - b^2)", Read(formula, [(2, 3), (0, 1.5)], x => Math.Sqrt(x[0] * x[0] - x[1] * x[1])));
    }

    [Fact]
    public void LogisticOfTanhReadsAsExp()
    {
        // k/(tanh(u/2 − c) + 1) − k/2 with u = 1/a is k·(1 + e^(2c − u))/2 − k/2 = (k/2)·e^(2c)·e^(−1/a): exp(−1/a)
        // once the constants are pulled together.
        double k = 0.0835707997292855, c = 1.587604143000319;
        var formula = K(k) * Inverse(F("tanh", K(0.4999999999996173) * Inverse(A) + K(-c)) + K(1)) + K(-k / 2);
        Assert.Equal("exp(-1/a)", Read(formula, [(0.5, 3)], x => Math.Exp(-1 / x[0])));
    }

    [Fact]
    public void ARationalPlusAConstantReadsAsOneQuotient()
    {
        Assert.Equal("3*a/(3 - a)", Read(K(33.3) * Inverse(K(-3.7) * A + K(11.1)) + K(-3), [(0, 2)]));
    }

    [Fact]
    public void DifferencesOfLogsReadAsTheLogOfAQuotient()
    {
        Assert.Equal("log(a/b)", Read(F("log", A) + K(-1) * F("log", B), [(0.5, 2), (0.5, 2)]));
        Assert.Equal("(a - b)/(a + b)", Read(K(2) * A * Inverse(A + B) + K(-1), [(0.5, 2), (0.5, 2)]));
    }

    [Fact]
    public void ConstantsSnapToSimpleNumbersOnlyWhereTheRowsConfirmIt()
    {
        double inverseRootTwoPi = 1 / Math.Sqrt(2 * Math.PI);
        Assert.Equal("exp(-a^2/2)/sqrt(2*pi)", Read(K(inverseRootTwoPi) * F("exp", K(-0.5) * SymbolicExpression.Power(A, 2)), [(-3, 3)]));
        Assert.Equal("a*b/(4*pi*c^2)", Read(K(1 / (4 * Math.PI)) * A * B * SymbolicExpression.Power(C, -2), [(-1, 1), (-1, 1), (0.5, 2)]));

        // 0.3989422804 is 1/√(2π) to 10 digits but the rows say the law's constant is 0.3989422804: it stays.
        string kept = Read(K(0.3989422804) * F("exp", A), [(-1, 1)]);
        Assert.Equal("0.3989422804*exp(a)", kept);
    }

    [Fact]
    public void ExactConstantsPrintAsWrittenInEveryDialect()
    {
        var exact = ExactConstant.Nearest(1 / (4 * Math.PI), 1e-12)!;
        Assert.Equal(new ExactConstant(1, 4, NamedFactor.Pi, -1), exact);
        var formula = SymbolicExpression.Multiply(SymbolicExpression.Constant(exact), A, SymbolicExpression.Power(B, -2.0));
        Assert.Equal("a/(4*pi*b^2)", formula.ToText(["a", "b"]));
        Assert.Equal(@"\frac{a}{4 \pi b^{2}}", formula.ToLatex(["a", "b"]));

        // C# keeps the double: exported code computes the same value the formula evaluates to.
        Assert.Contains("0.07957747154594767", formula.ToCSharp(["a", "b"]));
        Assert.Equal(1 / (4 * Math.PI) * 3.0 / 4.0, formula.Evaluate([3.0, 2.0]), 15);
        Assert.Equal("-1/2", SymbolicExpression.Constant(ExactConstant.Nearest(-0.5, 1e-12)!).ToText());
        Assert.Null(ExactConstant.Nearest(0.123456789, 1e-8));
    }
}
