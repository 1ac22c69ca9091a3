using KanCompile.Symbolic.Expressions;

namespace KanCompile.Symbolic.Discovery;

/// <summary>
/// The search's only use of the simplifier, in one place: whatever canonical identities and rounding helpers
/// <see cref="SymbolicExpression"/> gains apply to every formula the search reports by changing these calls.
/// </summary>
internal static class FormulaSimplification
{
    /// <summary>The simplified form of a composed formula.</summary>
    public static SymbolicExpression Simplify(SymbolicExpression expression) => expression.Simplify();

    /// <summary>
    /// The formula with its constants rounded to the fewest decimals (1…15) whose RMSE on the rows stays within
    /// <paramref name="tolerance"/> of the unrounded formula's; the unrounded formula when none does.
    /// </summary>
    public static IReadOnlyList<SymbolicExpression> RoundKeepingAccuracy(IReadOnlyList<SymbolicExpression> outputs, SearchRows rows, double tolerance)
    {
        double exact = FormulaSelection.Rmse(outputs, rows);
        for (int digits = 1; digits <= 15; digits++)
        {
            var rounded = outputs.Select(e => Simplify(e.Round(digits))).ToArray();
            if (FormulaSelection.Rmse(rounded, rows) <= exact + tolerance)
            {
                return rounded;
            }
        }

        return outputs;
    }
}
