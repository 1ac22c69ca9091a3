using KanCompile.Symbolic.Expressions;

namespace KanCompile.Symbolic.Discovery;

/// <summary>
/// The search's only use of the simplifier, in one place: whatever canonical identities and rounding helpers
/// <see cref="SymbolicExpression"/> gains apply to every formula the search reports by changing these calls.
/// On top of it, one rewrite the product template needs: squares of sums are expanded, so a difference of
/// squares collapses to the product it encodes ((u + v)² − (u − v)² → 4·u·v) when that reads shorter.
/// </summary>
internal static class FormulaSimplification
{
    /// <summary>The simplified form of a composed formula.</summary>
    public static SymbolicExpression Simplify(SymbolicExpression expression) => expression.Simplify();

    /// <summary>
    /// The shortest (as printed) of the formula and its expanded form, with constants rounded to the fewest
    /// decimals (1…15) whose RMSE on the rows stays within <paramref name="tolerance"/> of the unrounded
    /// formula's — the rounding removes the round-off left where expanded terms cancel.
    /// </summary>
    public static IReadOnlyList<SymbolicExpression> Tidy(IReadOnlyList<SymbolicExpression> outputs, SearchRows rows, double tolerance)
    {
        double exact = FormulaSelection.Rmse(outputs, rows);
        var forms = new[] { outputs, outputs.Select(e => Simplify(ExpandSquares(e))).ToArray() };
        IReadOnlyList<SymbolicExpression> best = outputs;
        int bestLength = int.MaxValue;
        foreach (var form in forms)
        {
            var rounded = RoundKeepingAccuracy(form, rows, exact + tolerance);
            int length = rounded?.Sum(e => e.ToText().Length) ?? int.MaxValue;
            if (rounded is not null && length < bestLength)
            {
                (best, bestLength) = (rounded, length);
            }
        }

        return best;
    }

    /// <summary>The form with the fewest decimals whose RMSE is at most <paramref name="limit"/>; null when none is.</summary>
    private static IReadOnlyList<SymbolicExpression>? RoundKeepingAccuracy(IReadOnlyList<SymbolicExpression> outputs, SearchRows rows, double limit)
    {
        for (int digits = 1; digits <= 15; digits++)
        {
            var rounded = outputs.Select(e => Simplify(e.Round(digits))).ToArray();
            if (FormulaSelection.Rmse(rounded, rows) <= limit)
            {
                return rounded;
            }
        }

        return FormulaSelection.Rmse(outputs, rows) <= limit ? outputs : null;
    }

    /// <summary>(Σ tᵢ)² → Σᵢ Σⱼ tᵢ·tⱼ everywhere, with the factors of each product in a canonical order.</summary>
    private static SymbolicExpression ExpandSquares(SymbolicExpression expression) => expression switch
    {
        PowerExpression { Exponent: 2.0 } square when ExpandSquares(square.Base) is SumExpression sum =>
            SymbolicExpression.Add(sum.Terms.SelectMany(t => sum.Terms.Select(u => CanonicalProduct(t, u)))),
        PowerExpression power => SymbolicExpression.Power(ExpandSquares(power.Base), power.Exponent),
        SumExpression sum => SymbolicExpression.Add(sum.Terms.Select(ExpandSquares)),
        ProductExpression product => SymbolicExpression.Multiply(product.Factors.Select(ExpandSquares)),
        CallExpression call => SymbolicExpression.Call(call.Function, ExpandSquares(call.Argument)),
        _ => expression,
    };

    /// <summary>t·u with constants multiplied out and equal factors merged into powers, factors sorted by their text.</summary>
    private static SymbolicExpression CanonicalProduct(SymbolicExpression left, SymbolicExpression right)
    {
        double coefficient = 1.0;
        var factors = new List<SymbolicExpression>();
        foreach (var factor in Factors(left).Concat(Factors(right)))
        {
            if (factor is ConstantExpression constant)
            {
                coefficient *= constant.Value;
            }
            else
            {
                factors.Add(factor);
            }
        }

        var merged = factors
            .GroupBy(f => f.ToText(), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Count() == 1 ? g.First() : SymbolicExpression.Power(g.First(), g.Count()));
        return SymbolicExpression.Multiply([SymbolicExpression.Constant(coefficient), .. merged]);
    }

    private static IEnumerable<SymbolicExpression> Factors(SymbolicExpression expression) =>
        expression is ProductExpression product ? product.Factors.SelectMany(Factors) : [expression];
}
