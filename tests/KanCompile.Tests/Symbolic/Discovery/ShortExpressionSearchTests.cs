using KanCompile.Symbolic;
using KanCompile.Symbolic.Discovery;

namespace KanCompile.Tests.Symbolic.Discovery;

/// <summary>The exhaustive search over short one-variable expressions (issue 18 item 2).</summary>
public sealed class ShortExpressionSearchTests
{
    private static readonly SymbolicFunction[] Functions = FormulaSearchOptions.DefaultExpressionFunctionNames.Select(SymbolicLibrary.Default.Get).ToArray();

    private static IReadOnlyList<ShortExpression> Search(Func<double, double> f, double min, double max, int size, double noise = 0.0)
    {
        var random = new Random(2);
        var x = Enumerable.Range(0, 200).Select(k => min + (max - min) * k / 199.0).ToArray();
        var y = x.Select(v => f(v) * (1 + noise * (2 * random.NextDouble() - 1))).ToArray();
        return new ShortExpressionSearch(Functions, size).Search(x, y, 3);
    }

    [Theory]
    [InlineData("exp(-1/x)", 0.5, 3.0, 4)]
    [InlineData("3x/(3 - x)", 0.0, 2.0, 4)]
    [InlineData("cos(3x)", -1.0, 1.0, 4)]
    [InlineData("exp(-x^2/2)", -3.0, 3.0, 5)]
    [InlineData("x/(exp(x) - 1)", 0.5, 3.0, 6)]
    public void ShortLawsAreFoundFirstAndExactly(string name, double min, double max, int size)
    {
        Func<double, double> f = name switch
        {
            "exp(-1/x)" => x => Math.Exp(-1 / x),
            "3x/(3 - x)" => x => 3 * x / (3 - x),
            "cos(3x)" => x => Math.Cos(3 * x),
            "exp(-x^2/2)" => x => Math.Exp(-x * x / 2),
            _ => x => x / (Math.Exp(x) - 1),
        };
        var found = Search(f, min, max, size);
        Assert.NotEmpty(found);
        Assert.True(found[0].RelativeError < 1e-12, $"{name}: best {found[0].Expression} has relative error {found[0].RelativeError:E2}");
    }

    [Fact]
    public void NoisySamplesStillRankTheLawFirst()
    {
        // A trained model's slice is accurate to ~1e-4: the law still fits best, at about that level.
        var found = Search(x => Math.Exp(-1 / x), 0.5, 3.0, 5, noise: 1e-4);
        Assert.Contains("exp(-", found[0].Expression.ToText());
        Assert.True(found[0].RelativeError < 1e-3, found[0].ToString());
    }

    [Fact]
    public void AConstantFunctionIsAConstant()
    {
        var found = Search(_ => 2.5, -1, 1, 4);
        Assert.Single(found);
        Assert.Equal("2.5", found[0].Expression.ToText());
    }

    [Fact]
    public void ARegressorIsAddedWithTheWeightThatFits()
    {
        // y = x + 0.37·sqrt(x): with sqrt(x) given, the search needs only x.
        var x = Enumerable.Range(0, 100).Select(k => 0.1 + 2.0 * k / 99.0).ToArray();
        var y = x.Select(v => v + 0.37 * Math.Sqrt(v)).ToArray();
        var sqrt = SymbolicLibrary.Default.Get("sqrt").Apply(KanCompile.Symbolic.Expressions.SymbolicExpression.Variable(0));
        var found = new ShortExpressionSearch(Functions, 3).Search(x, y, 2, default, [sqrt]);
        Assert.True(found[0].RelativeError < 1e-12, found[0].ToString());
        Assert.Equal(1, found[0].Size);
    }
}
