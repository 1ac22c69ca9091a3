namespace KanCompile.Symbolic.Expressions;

/// <summary>
/// Rounds the constants of an expression one at a time, each to the fewest decimal places a caller's accuracy check
/// accepts (issue #8: numbers are rounded only where rounding does not change the result beyond a tolerance).
/// </summary>
internal static class ConstantRounding
{
    /// <summary>Decimal places tried per constant: 0 (an integer) up to 15 (a double has no more worth rounding).</summary>
    public const int MaximumDigits = 15;

    public static SymbolicExpression Round(SymbolicExpression expression, Func<SymbolicExpression, bool> accept, int maximumDigits)
    {
        ArgumentNullException.ThrowIfNull(accept);
        if (maximumDigits is < 0 or > MaximumDigits)
        {
            throw new ArgumentOutOfRangeException(nameof(maximumDigits), maximumDigits, $"Decimal places must be between 0 and {MaximumDigits}.");
        }

        var current = expression.Simplify();

        // Constants in tree order; after each accepted rounding the tree is simplified again (a coefficient of 1
        // vanishes, terms merge), so the list is re-read. When the rounded constant disappeared the next one moved
        // into its position, which is then visited again.
        int position = 0;
        while (true)
        {
            var constants = ExpressionRewriter.Constants(current);
            if (position >= constants.Count)
            {
                return current;
            }

            double value = constants[position];
            int next = position + 1;
            for (int digits = 0; digits <= maximumDigits; digits++)
            {
                double rounded = Math.Round(value, digits, MidpointRounding.ToEven);
                if (rounded == value)
                {
                    break;
                }

                var candidate = ExpressionRewriter.ReplaceConstant(current, position, SymbolicExpression.Constant(rounded)).Simplify();
                if (accept(candidate))
                {
                    next = ExpressionRewriter.Constants(candidate).Count < constants.Count ? position : position + 1;
                    current = candidate;
                    break;
                }
            }

            position = next;
        }
    }

    /// <summary>
    /// The accuracy check for samples: the candidate's RMSE against <paramref name="targets"/> may exceed the
    /// unrounded expression's by at most <paramref name="relativeTolerance"/> of it (relative), and never turn
    /// non-finite.
    /// </summary>
    public static Func<SymbolicExpression, bool> RmseCheck(SymbolicExpression reference, double[] inputs, double[] targets, double relativeTolerance)
    {
        if (targets.Length == 0 || inputs.Length % targets.Length != 0)
        {
            throw new ArgumentException($"The inputs hold {inputs.Length} values for {targets.Length} targets; give one row of inputs per target (row-major).", nameof(inputs));
        }

        if (!(relativeTolerance >= 0.0))
        {
            throw new ArgumentOutOfRangeException(nameof(relativeTolerance), relativeTolerance, "The relative tolerance must be >= 0.");
        }

        int width = inputs.Length / targets.Length;
        if (reference.VariableCount > width)
        {
            throw new ArgumentException($"The expression reads {reference.VariableCount} inputs but the rows have {width}.", nameof(inputs));
        }

        double limit = Rmse(reference) * (1.0 + relativeTolerance);
        return candidate =>
        {
            double rmse = Rmse(candidate);
            return double.IsFinite(rmse) && rmse <= limit;
        };

        double Rmse(SymbolicExpression expression) => FormulaError.Rmse([expression], inputs, width, targets.Length, targets, 1, 0);
    }
}
