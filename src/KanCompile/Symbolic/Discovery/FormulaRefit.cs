using KanCompile.Numerics;
using KanCompile.Symbolic.Expressions;

namespace KanCompile.Symbolic.Discovery;

/// <summary>
/// Shorter readings of a found formula by refitting its constants: the network's formula carries the network's
/// parametrisation (a difference of squares for a product, tiny shifts under roots, coefficients that cancel only
/// to ~1e-9), so simplification by identities alone cannot make it read like the law. Here the formula is
/// multiplied out (products and small integer powers of sums), shifts under functions that are negligible on the
/// data are set to 0, every constant is refitted by Levenberg–Marquardt on training rows, and terms are dropped one
/// at a time (refitting after each) while the RMSE on held-back rows stays within the caller's limit. Nothing here
/// knows a target: the rows decide.
/// </summary>
internal static class FormulaRefit
{
    /// <summary>A shift under a function is negligible when it is below this fraction of the rest of its argument's largest magnitude.</summary>
    private const double NegligibleShift = 1e-3;

    /// <summary>Gauss–Newton steps of a refit (linear constants converge in one or two).</summary>
    private const int RefitIterations = 20;

    /// <summary>Constants refitted at most (the finite-difference Jacobian costs two evaluations per constant).</summary>
    private const int MaxConstants = 40;

    /// <summary>
    /// Refitted readings of output <paramref name="output"/>'s formula whose RMSE on <paramref name="checkRows"/>
    /// is at most <paramref name="limit"/>: with negligible shifts snapped, or else without. Each is expanded,
    /// refitted on <paramref name="fitRows"/> and stripped of the terms it does not need.
    /// </summary>
    public static IEnumerable<SymbolicExpression> Readings(SymbolicExpression formula, int output, SearchRows fitRows, SearchRows checkRows, double limit)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start in new[] { SnapShifts(formula, fitRows), formula })
        {
            var expanded = ExpressionExpansion.MultiplyOut(start);
            if (expanded is null || !seen.Add(expanded.ToText()))
            {
                continue;
            }

            var refit = Refit(expanded, output, fitRows);
            if (refit is null)
            {
                continue;
            }

            var reduced = DropTerms(refit, output, fitRows, checkRows, limit);
            if (Rmse(reduced, output, checkRows) <= limit)
            {
                yield return reduced;

                // The snapped reading holds: the unsnapped one (more constants) would not read shorter.
                yield break;
            }
        }
    }

    /// <summary>
    /// The formula with every constant shift k under a function or a non-integer power (f(u + k), (u + k)^p) set
    /// to 0 when |k| is below <see cref="NegligibleShift"/> of u's largest magnitude on the rows (fitted inner
    /// shifts that stand for 0, sqrt(9.1·a − 7e-5)), and exponents next to a multiple of 1/2 snapped to it.
    /// Whether the snapped formula still fits is decided by the refit.
    /// </summary>
    public static SymbolicExpression SnapShifts(SymbolicExpression expression, SearchRows rows)
    {
        return ExpressionRewriter.RewriteBottomUp(expression, node => node switch
        {
            CallExpression call => SymbolicExpression.Call(call.Function, Snap(call.Argument)),
            PowerExpression power => SymbolicExpression.Power(double.IsInteger(power.Exponent) ? power.Base : Snap(power.Base), SnapExponent(power.Exponent)),
            _ => node,
        }).Simplify();

        SymbolicExpression Snap(SymbolicExpression argument)
        {
            if (argument is not SumExpression sum || sum.Terms[^1] is not ConstantExpression shift)
            {
                return argument;
            }

            var rest = SymbolicExpression.Add(sum.Terms.Take(sum.Terms.Count - 1));
            double largest = 0.0;
            for (int s = 0; s < rows.Count; s++)
            {
                largest = Math.Max(largest, Math.Abs(rest.Evaluate(rows.Row(s))));
            }

            return double.IsFinite(largest) && Math.Abs(shift.Value) <= NegligibleShift * largest ? rest : argument;
        }
    }

    /// <summary>
    /// A fitted exponent within <see cref="NegligibleExponentError"/> (relative) of a multiple of 1/2 snapped to it
    /// (b^1.0000000014 from exp(c·log b)); exponents are structural, so the refit cannot move them.
    /// </summary>
    private static double SnapExponent(double exponent, double tolerance = NegligibleExponentError)
    {
        double halves = Math.Round(2.0 * exponent) / 2.0;
        return halves != 0.0 && Math.Abs(exponent - halves) <= tolerance * Math.Max(1.0, Math.Abs(exponent)) ? halves : exponent;
    }

    /// <summary>
    /// The expression with every exponent within <paramref name="tolerance"/> (relative) of a multiple of 1/2 snapped
    /// to it: a reading whose exponent came from a fitted constant (exp(c·log b) = b^c) is otherwise stuck where the
    /// constant was when it became an exponent. The caller decides by refitting whether the snapped one fits better.
    /// </summary>
    public static SymbolicExpression SnapExponents(SymbolicExpression expression, double tolerance) =>
        ExpressionRewriter.Rewrite(expression, node => node is PowerExpression power && SnapExponent(power.Exponent, tolerance) is var snapped && snapped != power.Exponent
            ? SymbolicExpression.Power(SnapExponents(power.Base, tolerance), snapped)
            : null).Simplify();

    /// <summary>Relative distance within which an exponent counts as a multiple of 1/2.</summary>
    private const double NegligibleExponentError = 1e-6;

    /// <summary>
    /// Top-level terms (the constant too) removed one at a time, smallest first (RMS over the rows), refitting after
    /// each, while the RMSE on <paramref name="checkRows"/> stays at most <paramref name="limit"/>; a term whose
    /// removal costs accuracy stays, and after <see cref="MaxFailedDrops"/> such terms in a row the larger ones are
    /// not tried (they cost more still).
    /// </summary>
    private static SymbolicExpression DropTerms(SymbolicExpression expression, int output, SearchRows fitRows, SearchRows checkRows, double limit)
    {
        var kept = new HashSet<string>(StringComparer.Ordinal);
        while (expression is SumExpression sum)
        {
            var order = sum.Terms
                .Select((term, index) => (Term: term, Index: index, Size: Magnitude(term, fitRows)))
                .Where(t => !kept.Contains(t.Term.ToText()))
                .OrderBy(t => t.Size)
                .ToArray();
            SymbolicExpression? accepted = null;
            int failures = 0;
            foreach (var (term, index, _) in order)
            {
                var without = SymbolicExpression.Add(sum.Terms.Where((_, k) => k != index)).Simplify();
                var refit = Refit(without, output, fitRows) ?? without;
                if (Rmse(refit, output, checkRows) <= limit)
                {
                    accepted = refit;
                    break;
                }

                kept.Add(term.ToText());
                if (++failures >= MaxFailedDrops)
                {
                    break;
                }
            }

            if (accepted is null)
            {
                break;
            }

            expression = accepted;
        }

        return expression;
    }

    /// <summary>Consecutive terms that must stay before larger ones are no longer tried.</summary>
    private const int MaxFailedDrops = 2;

    /// <summary>Root mean square of a term over the rows (+∞ when not finite, so it is tried last).</summary>
    private static double Magnitude(SymbolicExpression term, SearchRows rows)
    {
        double sum = 0.0;
        for (int s = 0; s < rows.Count; s++)
        {
            double value = term.Evaluate(rows.Row(s));
            sum += value * value;
        }

        return double.IsFinite(sum) ? Math.Sqrt(sum / Math.Max(1, rows.Count)) : double.PositiveInfinity;
    }

    /// <summary>Every constant refitted by Levenberg–Marquardt on the rows; null when the formula has none, too many, or is not finite.</summary>
    /// <param name="expression">The formula.</param>
    /// <param name="output">Which output's labels it fits.</param>
    /// <param name="rows">The rows.</param>
    /// <param name="iterations">Gauss–Newton steps at most.</param>
    /// <param name="stallTolerance">Stop after two steps that lower the cost by less than this fraction (0: only when it stops moving).</param>
    public static SymbolicExpression? Refit(SymbolicExpression expression, int output, SearchRows rows, int iterations = RefitIterations, double stallTolerance = 1e-10)
    {
        var problem = new ConstantsProblem(expression, output, rows);
        if (problem.ParameterCount == 0 || problem.ParameterCount > MaxConstants || !double.IsFinite(problem.Cost()))
        {
            return null;
        }

        double before = problem.Cost();
        LevenbergMarquardt.Train(problem, iterations, stallTolerance: stallTolerance);
        return problem.Cost() <= before ? problem.Expression().Simplify() : expression;
    }

    /// <summary>RMSE of one output's formula on the rows; +∞ when not finite.</summary>
    public static double Rmse(SymbolicExpression expression, int output, SearchRows rows) =>
        FormulaSelection.Rmse([expression], rows, output);

    /// <summary>
    /// Least squares over the constants of an expression (in tree order; exponents stay fixed), evaluated without
    /// rebuilding the tree; the Jacobian by central differences.
    /// </summary>
    private sealed class ConstantsProblem : ILeastSquaresProblem
    {
        private readonly SymbolicExpression _expression;
        private readonly int _output;
        private readonly SearchRows _rows;
        private readonly double[] _values;

        public ConstantsProblem(SymbolicExpression expression, int output, SearchRows rows)
        {
            _expression = expression;
            _output = output;
            _rows = rows;
            _values = [.. ExpressionRewriter.Constants(expression)];
        }

        public int ParameterCount => _values.Length;

        public int ResidualCount => _rows.Count;

        public void ReadParameters(Span<double> destination) => _values.CopyTo(destination);

        public void WriteParameters(ReadOnlySpan<double> source) => source[.._values.Length].CopyTo(_values);

        public double Cost()
        {
            double sum = 0.0;
            for (int s = 0; s < _rows.Count; s++)
            {
                double r = Residual(s);
                sum += r * r;
            }

            return double.IsFinite(sum) ? sum : double.PositiveInfinity;
        }

        public void Linearize(Span<double> jacobian, Span<double> residuals)
        {
            int p = _values.Length;
            for (int s = 0; s < _rows.Count; s++)
            {
                residuals[s] = Residual(s);
            }

            for (int k = 0; k < p; k++)
            {
                double saved = _values[k];
                double h = 1e-6 * Math.Max(Math.Abs(saved), 1e-3);
                for (int s = 0; s < _rows.Count; s++)
                {
                    _values[k] = saved + h;
                    double up = Residual(s);
                    _values[k] = saved - h;
                    double down = Residual(s);
                    double slope = (up - down) / (2 * h);
                    jacobian[s * p + k] = double.IsFinite(slope) ? slope : 0.0;
                }

                _values[k] = saved;
            }
        }

        /// <summary>The expression with the current constants.</summary>
        public SymbolicExpression Expression() => ExpressionRewriter.ReplaceConstants(_expression, _values);

        private double Residual(int s)
        {
            int index = 0;
            return Evaluate(_expression, _rows.Row(s), ref index) - _rows.Labels[s * _rows.OutputCount + _output];
        }

        /// <summary>The expression's value with the current constants, in <see cref="SymbolicExpression.Evaluate"/>'s order of operations.</summary>
        private double Evaluate(SymbolicExpression node, ReadOnlySpan<double> inputs, ref int index)
        {
            switch (node)
            {
                case ConstantExpression:
                    return _values[index++];
                case CallExpression call:
                    return call.Function.Evaluate(Evaluate(call.Argument, inputs, ref index));
                case PowerExpression power:
                    return PowerExpression.Raise(Evaluate(power.Base, inputs, ref index), power.Exponent);
                case ProductExpression product:
                {
                    double value = Evaluate(product.Factors[0], inputs, ref index);
                    for (int k = 1; k < product.Factors.Count; k++)
                    {
                        value *= Evaluate(product.Factors[k], inputs, ref index);
                    }

                    return value;
                }

                case SumExpression sum:
                {
                    double value = Evaluate(sum.Terms[0], inputs, ref index);
                    for (int k = 1; k < sum.Terms.Count; k++)
                    {
                        value += Evaluate(sum.Terms[k], inputs, ref index);
                    }

                    return value;
                }

                default:
                    return node.Evaluate(inputs);
            }
        }
    }
}
