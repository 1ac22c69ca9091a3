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
    /// The shortest (as printed) reading of the formula whose RMSE on <paramref name="rows"/> stays within
    /// <paramref name="tolerance"/> of the unrounded formula's: the formula itself, its squares expanded, and its
    /// refitted readings (<see cref="FormulaRefit"/>: multiplied out, negligible shifts snapped, constants refitted on
    /// <paramref name="fitRows"/>, unneeded terms dropped) — each with constants rounded to the fewest decimals that
    /// keep that accuracy, all constants alike or one at a time.
    /// </summary>
    public static IReadOnlyList<SymbolicExpression> Tidy(IReadOnlyList<SymbolicExpression> outputs, SearchRows fitRows, SearchRows rows, double tolerance)
    {
        double exact = FormulaSelection.Rmse(outputs, rows);
        var perOutput = new SymbolicExpression[outputs.Count];
        for (int o = 0; o < outputs.Count; o++)
        {
            double limit = FormulaRefit.Rmse(outputs[o], o, rows) + tolerance;
            var readings = new List<SymbolicExpression> { outputs[o], Simplify(ExpandSquares(outputs[o])) };
            if (double.IsFinite(limit))
            {
                readings.AddRange(FormulaRefit.Readings(outputs[o], o, fitRows, rows, limit));
            }

            perOutput[o] = readings
                .SelectMany(r => Rounded(r, o, rows, limit))
                .OrderBy(r => r.ToText().Length)
                .FirstOrDefault() ?? outputs[o];
        }

        // Each output within its own limit keeps the whole within the joint one in practice; checked, with the
        // joint rounding of the formula as it came as the fallback.
        if (FormulaSelection.Rmse(perOutput, rows) <= exact + tolerance)
        {
            return perOutput;
        }

        return RoundKeepingAccuracy(outputs, rows, exact + tolerance) ?? outputs;
    }

    /// <summary>The reading rounded all constants alike and one constant at a time, where the RMSE stays at most <paramref name="limit"/>.</summary>
    private static IEnumerable<SymbolicExpression> Rounded(SymbolicExpression reading, int output, SearchRows rows, double limit)
    {
        bool Accept(SymbolicExpression candidate) => FormulaRefit.Rmse(candidate, output, rows) <= limit;
        if (!Accept(reading))
        {
            yield break;
        }

        yield return reading;
        for (int digits = 1; digits <= 15; digits++)
        {
            var rounded = Simplify(reading.Round(digits));
            if (Accept(rounded))
            {
                yield return rounded;
                break;
            }
        }

        yield return reading.RoundPreservingAccuracy(Accept);
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

    /// <summary>
    /// (Σ tᵢ)² → Σᵢ Σⱼ tᵢ·tⱼ everywhere (<see cref="ExpressionExpansion.Distribute{T}"/>, however many terms), with the
    /// factors of each product in a canonical order and nothing else simplified: unlike the simplifier's products,
    /// tᵢ·tⱼ and tⱼ·tᵢ then print alike, so the difference of squares cancels when the caller simplifies.
    /// </summary>
    private static SymbolicExpression ExpandSquares(SymbolicExpression expression) =>
        ExpressionRewriter.RewriteBottomUp(expression, node => node is PowerExpression { Exponent: 2.0, Base: SumExpression sum }
            ? SymbolicExpression.Add(ExpressionExpansion.Distribute([sum.Terms, sum.Terms], new List<SymbolicExpression>(), (chosen, term) => [.. chosen, term])
                .Select(CanonicalProduct))
            : node);

    /// <summary>The product with constants multiplied out and equal factors merged into powers, factors sorted by their text.</summary>
    private static SymbolicExpression CanonicalProduct(List<SymbolicExpression> product)
    {
        double coefficient = 1.0;
        var factors = new List<SymbolicExpression>();
        foreach (var factor in product.SelectMany(Factors))
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
