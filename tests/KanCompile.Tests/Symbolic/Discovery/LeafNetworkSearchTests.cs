using KanCompile.Symbolic;
using KanCompile.Symbolic.Discovery;

namespace KanCompile.Tests.Symbolic.Discovery;

/// <summary>One-variable parts as small KANs (issue 18 item 2): what the short-expression search cannot hold.</summary>
public sealed class LeafNetworkSearchTests
{
    [Fact]
    public void ACompositionWithAffineConstantsIsFoundAsASmallKan()
    {
        // tanh(0.6·exp(1.2x) − 0.9): two library functions, each with constants of its own — 9 nodes, beyond the
        // short-expression search, within one [1,1,1] KAN (each edge is c·f(a·x + b) + d).
        static double F(double x) => Math.Tanh(0.6 * Math.Exp(1.2 * x) - 0.9);
        var x = Enumerable.Range(0, 200).Select(k => -1.0 + 2.0 * k / 199.0).ToArray();
        var y = x.Select(F).ToArray();

        var functions = FormulaSearchOptions.DefaultExpressionFunctionNames.Select(SymbolicLibrary.Default.Get).ToArray();
        var shortest = new ShortExpressionSearch(functions, 5).Search(x, y, 3);
        Assert.All(shortest, s => Assert.True(s.RelativeError > 1e-6, $"the short-expression search already reads it: {s}"));

        var found = new LeafNetworkSearch(new FormulaSearchOptions(), default).Search(x, y);
        Assert.NotEmpty(found);
        Assert.True(found[0].RelativeError < 1e-9, $"best {found[0].Expression} has relative error {found[0].RelativeError:E2}");

        // Exact between the samples too; count-bounded and seeded, so a second run reads the same.
        foreach (double v in new[] { -0.987, -0.3, 0.123, 0.77 })
        {
            Assert.Equal(F(v), found[0].Expression.Evaluate([v]), 1e-9);
        }

        Assert.Equal(found[0].Expression.ToText(), new LeafNetworkSearch(new FormulaSearchOptions(), default).Search(x, y)[0].Expression.ToText());
    }
}
