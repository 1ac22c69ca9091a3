using KanCompile.Interpretability.Hypotheses;
using KanCompile.Symbolic;
using KanCompile.Symbolic.Discovery;
using KanCompile.Tests.Support;
using static KanCompile.Tests.Support.Jet;

namespace KanCompile.Tests.Symbolic.Discovery;

/// <summary>
/// Discovery by decomposition (issue 18 item 2) on functions with exact derivatives, so each mechanism is tested
/// without training a model: the split the tests find, the parts solved down to one variable, the reading exact.
/// </summary>
public sealed class StructureSearchTests
{
    private static readonly StructureStage Stage = new(ExpressionSize: 5, Beam: 3, Alternatives: 2, Threshold: 0.1);

    private static (PartSolution Best, StructureSearch Search) Solve(int n, Func<Jet[], Jet> law, params (double Min, double Max)[] box)
    {
        var names = new[] { "a", "b", "c" }[..n];
        var root = new LawPart(Function(n, law), box, names, "root");
        var search = new StructureSearch(FormulaSearchOptions.DefaultExpressionFunctionNames.Select(SymbolicLibrary.Default.Get).ToArray(), 0, default);
        var solutions = search.Solve(root, Stage);
        Assert.NotEmpty(solutions);

        // The best reading reproduces the law (to the refit's precision) everywhere in the box.
        var function = Function(n, law);
        var points = root.Points(100, 3);
        double worst = 0.0, scale = 0.0;
        for (int s = 0; s < 100; s++)
        {
            var x = points.AsSpan(s * n, n);
            double truth = function.Evaluate(x);
            worst = Math.Max(worst, Math.Abs(solutions[0].Expression.Evaluate(x) - truth));
            scale = Math.Max(scale, Math.Abs(truth));
        }

        Assert.True(worst <= 1e-9 * scale, $"{solutions[0].Expression} misses by {worst:E2}");
        return (solutions[0], search);
    }

    [Fact]
    public void AdditiveSplitIntoAVariableAndAProduct()
    {
        var (best, search) = Solve(3, x => x[0] + x[1] * x[2], (-1, 1), (-1, 1), (-1, 1));
        Assert.Equal(FormulaStructureKind.Additive, best.Structure.Kind);
        Assert.Equal("additively separable: {a} + {b, c}", best.Structure.Description);
        Assert.Contains(search.Tried, t => t.StartsWith("additively separable: {a} + {b, c}"));
    }

    [Fact]
    public void MultiplicativeSplitWithAFunctionOfOneVariable()
    {
        var (best, _) = Solve(2, x => x[0] * Sin(x[1]), (0.5, 2), (-1.5, 1.5));
        Assert.Equal(FormulaStructureKind.Multiplicative, best.Structure.Kind);
        Assert.Contains("sin(", best.Expression.ToText());
    }

    [Fact]
    public void AFunctionOfADifferenceBecomesOneVariable()
    {
        var (best, _) = Solve(2, x => Exp(-Square(x[0] - x[1])), (-1, 1), (-1, 1));
        Assert.Equal(FormulaStructureKind.Combination, best.Structure.Kind);
        Assert.Equal("depends on (a - b) only", best.Structure.Description);
    }

    [Fact]
    public void AnOutputTransformRevealsASplit()
    {
        // 1/(1 + a·b): after inverting, a constant plus a product.
        var (best, _) = Solve(2, x => 1.0 / (1.0 + x[0] * x[1]), (0, 2), (0, 2));
        Assert.Equal(FormulaStructureKind.OuterFunction, best.Structure.Kind);
        Assert.StartsWith("y = 1/x(z)", best.Structure.Description);
    }

    [Fact]
    public void ChangedVariablesSeparateAQuotientFromItsPartner()
    {
        // exp(−(a/b)²/2)/b: no split in (a, b), a product in (a/b, b).
        var (best, _) = Solve(2, x => Exp(-0.5 * Square(x[0] / x[1])) / x[1], (-1, 1), (0.5, 2));
        var text = string.Join(" / ", Flatten(best.Structure).Select(s => s.Description));
        Assert.Contains("a/b", text);
    }

    [Fact]
    public void PartlySeparableLawSplitsIntoThreeParts()
    {
        // 1 + a + 2·sqrt(a)·cos(b) = p(a) + q(a)·r(b).
        var (best, _) = Solve(2, x => 1.0 + x[0] + 2.0 * Sqrt(x[0]) * Cos(x[1]), (0.1, 2), (-3, 3));
        Assert.Equal(FormulaStructureKind.PartlySeparable, best.Structure.Kind);
    }

    [Fact]
    public void SumWithOneCrossProductSplitsIntoFourParts()
    {
        // a² + exp(b) + a·sin(b): neither f − f(a, b⁰) nor f − f(a⁰, b) is a product, the mixed difference is.
        var (best, search) = Solve(2, x => Square(x[0]) + Exp(x[1]) + x[0] * Sin(x[1]), (0.5, 2), (-1.5, 1.5));
        Assert.Equal(FormulaStructureKind.SumWithProduct, best.Structure.Kind);
        Assert.Contains(search.Tried, t => t.StartsWith("a sum with one product: p{a} + s{b} + q{a}·r{b}"));
    }

    [Fact]
    public void UnusedVariableIsLeftOut()
    {
        var (best, _) = Solve(2, x => Exp(x[0]) + 0.0 * x[1], (-1, 1), (-1, 1));
        Assert.Equal(FormulaStructureKind.Unused, best.Structure.Kind);
        Assert.Equal(0, best.Expression.VariableCount > 1 ? 1 : 0);
    }

    private static IEnumerable<FormulaStructure> Flatten(FormulaStructure structure) =>
        structure.Parts.SelectMany(Flatten).Prepend(structure);
}
