namespace KanCompile.Symbolic.Expressions;

/// <summary>
/// Snaps fitted constants to the simple numbers they stand for (issue 18 item 4): each constant, in tree order, is
/// replaced by the simplest <see cref="ExactConstant"/> within <see cref="RelativeTolerance"/> of it (a small
/// rational, a multiple of π, 1/√(2π), …) when the caller's check still accepts the whole expression — for the
/// formula search, that its RMSE on held-back rows stays at machine precision. The rule is the same for every
/// constant of every law: nothing is snapped that the data does not confirm.
/// </summary>
internal static class ConstantSnapping
{
    /// <summary>How close a fitted constant must be to a simple one to be tried: far below any real constant's spacing.</summary>
    public const double RelativeTolerance = 1e-8;

    public static SymbolicExpression Snap(SymbolicExpression expression, Func<SymbolicExpression, bool> accept)
    {
        var current = expression;
        var constants = ExpressionRewriter.Constants(current);
        for (int position = 0; position < constants.Count; position++)
        {
            if (ExactConstant.Nearest(constants[position], RelativeTolerance) is not { } exact)
            {
                continue;
            }

            var candidate = ExpressionRewriter.ReplaceConstant(current, position, SymbolicExpression.Constant(exact));
            if (accept(candidate))
            {
                current = candidate;
            }
        }

        return current;
    }
}
