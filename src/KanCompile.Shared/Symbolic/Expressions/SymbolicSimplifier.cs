using Ids = KanCompile.Symbolic.BuiltInSymbolicFunctions.Ids;

namespace KanCompile.Symbolic.Expressions;

/// <summary>
/// A small bottom-up simplifier: constant folding, flattening, distributing a constant over a sum (which merges
/// nested affine maps), dropping ×1 and +0, removing zero terms, combining terms that differ only in their
/// constant coefficient and factors that differ only in their exponent. Sums list polynomial terms before function
/// calls and the constant last. Identities that let fitted affine constants cancel: (c·u)^n = c^n·u^n,
/// exp(u + k) = e^k·exp(u), f(−u) = −f(u) for odd f and f(−u) = f(u) for even f. Canonical log/exp/power forms:
/// log(c·u) = log c + log u, log(u^c) = c·log u, log(exp u) = u, exp(log u) = u, exp(a)·exp(b) = exp(a + b),
/// exp(u)^c = exp(c·u), (u^a)^b = u^(a·b), sqrt(u²) = |u|, |u| = u and |u|^(2n) = u^(2n).
/// <para>
/// Validity: every rule keeps the value wherever the unsimplified expression is defined (a finite real); some
/// extend the domain (sqrt(u)^2 = u also for u &lt; 0). Rules that would change defined values are applied only
/// under the condition stated beside them, which the expression itself must guarantee (<see cref="IsNonNegative"/>).
/// Built-in library functions are recognised by identity, so a user function that reuses a name is left alone.
/// </para>
/// </summary>
internal static class SymbolicSimplifier
{
    public static SymbolicExpression Simplify(SymbolicExpression expression) => expression switch
    {
        ConstantExpression or VariableExpression => expression,
        CallExpression call => SimplifyCall(call),
        PowerExpression power => SimplifyPower(Simplify(power.Base), power.Exponent),
        ProductExpression product => SimplifyProduct(product.Factors.Select(Simplify)),
        SumExpression sum => SimplifySum(sum.Terms.Select(Simplify)),
        _ => throw new ArgumentException($"Unknown expression node {expression.GetType().Name}.", nameof(expression)),
    };

    /// <summary>Rounds every constant to <paramref name="digits"/> decimals (half-even); exponents stay exact.</summary>
    public static SymbolicExpression Round(SymbolicExpression expression, int digits) =>
        ExpressionRewriter.Rewrite(expression, node => node is ConstantExpression constant
            // Math.Round accepts at most 15 digits; a double has no more decimals worth rounding than that.
            ? digits > 15 ? constant : SymbolicExpression.Constant(Math.Round(constant.Value, digits, MidpointRounding.ToEven))
            : null);

    private static SymbolicExpression SimplifyCall(CallExpression call)
    {
        var argument = Simplify(call.Argument);
        if (argument is ConstantExpression constant)
        {
            return SymbolicExpression.Constant(call.Function.Evaluate(constant.Value));
        }

        var parity = BuiltInSymbolicFunctions.ParityOf(call.Function);
        if (parity != BuiltInSymbolicFunctions.SymbolicParity.None && LeadsNegative(argument))
        {
            var negated = SimplifyProduct([SymbolicExpression.Constant(-1.0), argument]);
            var mirrored = SymbolicExpression.Call(call.Function, negated);
            return parity == BuiltInSymbolicFunctions.SymbolicParity.Odd ? SimplifyProduct([SymbolicExpression.Constant(-1.0), mirrored]) : mirrored;
        }

        if (IsBuiltIn(call.Function, Ids.Exp) && ExpOfLogs(call.Function, argument) is { } powers)
        {
            return powers;
        }

        if ((IsBuiltIn(call.Function, Ids.Sin) || IsBuiltIn(call.Function, Ids.Cos)) && QuarterTurnShift(call.Function, argument) is { } shifted)
        {
            return shifted;
        }

        if (IsBuiltIn(call.Function, Ids.Log))
        {
            SymbolicExpression? canonical = SimplifyLog(call.Function, argument);
            if (canonical is not null)
            {
                return canonical;
            }
        }

        // |u| = u wherever u ≥ 0 is guaranteed (e.g. |exp(v)|, |v^2|).
        if (IsBuiltIn(call.Function, Ids.Abs) && IsNonNegative(argument))
        {
            return argument;
        }

        // exp(u + k) = e^k·exp(u): the constant joins the coefficient in front, where fitted constants cancel.
        if (IsBuiltIn(call.Function, Ids.Exp) && argument is SumExpression sum && sum.Terms[^1] is ConstantExpression shift)
        {
            var rest = SimplifySum(sum.Terms.Take(sum.Terms.Count - 1));
            return SimplifyProduct([SymbolicExpression.Constant(Math.Exp(shift.Value)), SymbolicExpression.Call(call.Function, rest)]);
        }

        return SymbolicExpression.Call(call.Function, argument);
    }

    /// <summary>
    /// exp(Σ cᵢ·log uᵢ + r) = Π uᵢ^cᵢ · exp(r) (so exp(log u) = u, exp(log a − log b) = a/b, exp(log a − b) = a·exp(−b)),
    /// or null when the argument holds no log term. Valid wherever the original is defined: there every uᵢ ≥ 0
    /// (the built-in log is NaN below 0) and exp(c·log u) = u^c, also at u = 0 (exp(−∞) = 0 = 0^c for c &gt; 0).
    /// Like sqrt(u)^2 = u it extends the domain (to uᵢ &lt; 0 for integer cᵢ).
    /// </summary>
    private static SymbolicExpression? ExpOfLogs(SymbolicFunction exp, SymbolicExpression argument)
    {
        var terms = argument is SumExpression sum ? sum.Terms : [argument];
        var factors = new List<SymbolicExpression>();
        var rest = new List<SymbolicExpression>();
        foreach (var term in terms)
        {
            (double coefficient, var body) = SplitCoefficient(term);
            if (body is CallExpression log && IsBuiltIn(log.Function, Ids.Log) && double.IsFinite(coefficient))
            {
                factors.Add(SimplifyPower(log.Argument, SnapExponent(coefficient)));
            }
            else
            {
                rest.Add(term);
            }
        }

        if (factors.Count == 0)
        {
            return null;
        }

        if (rest.Count > 0)
        {
            factors.Add(SimplifyCall(new CallExpression(exp, SimplifySum(rest))));
        }

        return SimplifyProduct(factors);
    }

    /// <summary>
    /// A fitted log coefficient that becomes an exponent, snapped to the nearest multiple of 1/2 when within
    /// <see cref="QuarterTurnTolerance"/> of it (exponents are structural: constant rounding leaves them alone, so
    /// 0.9999999999999974 would otherwise stay); the value moves by a factor u^(1e-9) at most, which the search's
    /// scoring after simplification checks on data.
    /// </summary>
    private static double SnapExponent(double coefficient)
    {
        double halves = Math.Round(2.0 * coefficient) / 2.0;
        return Math.Abs(coefficient - halves) <= QuarterTurnTolerance * Math.Max(1.0, Math.Abs(coefficient)) ? halves : coefficient;
    }

    /// <summary>Relative distance within which a shift counts as a multiple of π/2 (far below any fitted constant's error).</summary>
    private const double QuarterTurnTolerance = 1e-9;

    /// <summary>
    /// sin(u + k) and cos(u + k) with k a multiple n of π/2 (within <see cref="QuarterTurnTolerance"/> relative):
    /// ±sin(u) or ±cos(u), so fitted phases such as sin(b − π) read −sin(b); null when k is not such a multiple.
    /// Exact for k = n·π/2; a constant that is only near it moves the value by at most |k − n·π/2| (the search
    /// scores formulas after simplification, so that is checked on data).
    /// </summary>
    private static SymbolicExpression? QuarterTurnShift(SymbolicFunction function, SymbolicExpression argument)
    {
        if (argument is not SumExpression sum || sum.Terms[^1] is not ConstantExpression shift)
        {
            return null;
        }

        double turns = Math.Round(shift.Value / (Math.PI / 2));
        if (turns == 0.0 || Math.Abs(shift.Value - turns * Math.PI / 2) > QuarterTurnTolerance * Math.Abs(shift.Value))
        {
            return null;
        }

        // sin(u + nπ/2) cycles sin, cos, −sin, −cos; cos(u + nπ/2) is sin(u + (n + 1)π/2).
        int phase = (int)(((long)turns % 4 + 4) % 4);
        if (IsBuiltIn(function, Ids.Cos))
        {
            phase = (phase + 1) % 4;
        }

        var rest = SimplifySum(sum.Terms.Take(sum.Terms.Count - 1));
        var call = SimplifyCall(new CallExpression(BuiltIn(phase % 2 == 0 ? Ids.Sin : Ids.Cos), rest));
        return phase >= 2 ? SimplifyProduct([SymbolicExpression.Constant(-1.0), call]) : call;
    }

    /// <summary>The canonical form of log(argument), or null when no rule applies.</summary>
    private static SymbolicExpression? SimplifyLog(SymbolicFunction log, SymbolicExpression argument)
    {
        // log(exp u) = u for every real u (the unsimplified form overflows beyond |u| ≈ 709; this one does not).
        if (argument is CallExpression inner && IsBuiltIn(inner.Function, Ids.Exp))
        {
            return inner.Argument;
        }

        // log(c·u) = log c + log u for c > 0: both sides are defined exactly where u > 0.
        if (argument is ProductExpression)
        {
            (double coefficient, var body) = SplitCoefficient(argument);
            if (coefficient > 0.0 && coefficient != 1.0 && !double.IsInfinity(coefficient))
            {
                return SimplifySum([SymbolicExpression.Constant(Math.Log(coefficient)), SimplifyCall(new CallExpression(log, body))]);
            }
        }

        // log(u^c) = c·log u: where u^c > 0, u > 0 unless c is an even integer; then u^c = |u|^c and the rule is
        // c·log|u|, defined for every u ≠ 0 like the original.
        if (argument is PowerExpression power)
        {
            var inside = IsEvenInteger(power.Exponent) ? Abs(power.Base) : power.Base;
            return SimplifyProduct([SymbolicExpression.Constant(power.Exponent), SimplifyCall(new CallExpression(log, inside))]);
        }

        return null;
    }

    /// <summary>
    /// True when the expression is ≥ 0 (or NaN) wherever it is evaluated: non-negative constants, exp, |·|, even
    /// powers, non-integer powers (Math.Pow of a negative base is NaN), and sums and products of such.
    /// </summary>
    internal static bool IsNonNegative(SymbolicExpression expression) => expression switch
    {
        ConstantExpression constant => constant.Value >= 0.0,
        CallExpression call => IsBuiltIn(call.Function, Ids.Exp) || IsBuiltIn(call.Function, Ids.Abs),
        PowerExpression power => IsEvenInteger(power.Exponent) || !double.IsInteger(power.Exponent) || IsNonNegative(power.Base),
        ProductExpression product => product.Factors.All(IsNonNegative),
        SumExpression sum => sum.Terms.All(IsNonNegative),
        _ => false,
    };

    private static bool IsEvenInteger(double value) => double.IsInteger(value) && Math.IEEERemainder(value, 2.0) == 0.0;

    /// <summary>True when <paramref name="function"/> is the catalog row <paramref name="id"/> (by identity, not by name).</summary>
    private static bool IsBuiltIn(SymbolicFunction function, int id) => BuiltInSymbolicFunctions.Is(function, id);

    private static SymbolicFunction BuiltIn(int id) => BuiltInSymbolicFunctions.All[id];

    private static SymbolicExpression Abs(SymbolicExpression argument) =>
        SimplifyCall(new CallExpression(BuiltIn(Ids.Abs), argument));

    /// <summary>True when the expression's first term carries a negative constant coefficient (e.g. −3·x + 1).</summary>
    private static bool LeadsNegative(SymbolicExpression expression)
    {
        SymbolicExpression first = expression is SumExpression sum ? sum.Terms[0] : expression;
        return first is not ConstantExpression && SplitCoefficient(first).Coefficient < 0.0;
    }

    private static SymbolicExpression SimplifyPower(SymbolicExpression baseExpression, double exponent)
    {
        if (exponent == 1.0)
        {
            return baseExpression;
        }

        if (exponent == 0.0)
        {
            return SymbolicExpression.One;
        }

        if (baseExpression is ConstantExpression constant)
        {
            return SymbolicExpression.Constant(PowerExpression.Raise(constant.Value, exponent));
        }

        // (u^m)^n = u^(m·n) wherever u^m is defined and, for a non-integer n, non-negative: for integer n whatever
        // the sign of u; for non-integer n, u^m ≥ 0 means u ≥ 0 unless m is an even integer, where u^m = |u|^m and so
        // (u^m)^n = |u|^(m·n) (sqrt(u^2) = |u|).
        if (baseExpression is PowerExpression inner)
        {
            return double.IsInteger(exponent) || !IsEvenInteger(inner.Exponent)
                ? SimplifyPower(inner.Base, inner.Exponent * exponent)
                : SimplifyPower(Abs(inner.Base), inner.Exponent * exponent);
        }

        if (baseExpression is CallExpression call)
        {
            // exp(u)^n = exp(n·u) for every real n: exp(u) > 0.
            if (IsBuiltIn(call.Function, Ids.Exp))
            {
                return SimplifyCall(new CallExpression(call.Function, SimplifyProduct([SymbolicExpression.Constant(exponent), call.Argument])));
            }

            // |u|^n = u^n for even integer n.
            if (IsBuiltIn(call.Function, Ids.Abs) && IsEvenInteger(exponent))
            {
                return SimplifyPower(call.Argument, exponent);
            }
        }

        // (k·u₁ + … + k·uₙ + k)^n = k^n·(u₁ + … + uₙ + 1)^n for integer n, or for any n when k > 0: a fitted affine map
        // scales a whole sum under a root (0.41·sqrt(6.06·a² + 6.06·b² + 6.06) reads sqrt(a² + b² + 1)).
        if (baseExpression is SumExpression sum && CommonCoefficient(sum) is double common
            && (double.IsInteger(exponent) || common > 0.0))
        {
            var unscaled = SimplifySum(sum.Terms.Select(t => t is ConstantExpression ? SymbolicExpression.One : SplitCoefficient(t).Body));
            return SimplifyProduct([SymbolicExpression.Constant(PowerExpression.Raise(common, exponent)), SimplifyPower(unscaled, exponent)]);
        }

        // (c·u)^n = c^n·u^n for integer n, or for any n when c > 0.
        (double coefficient, var body) = SplitCoefficient(baseExpression);
        if (coefficient != 1.0 && (double.IsInteger(exponent) || coefficient > 0.0))
        {
            return SimplifyProduct([SymbolicExpression.Constant(PowerExpression.Raise(coefficient, exponent)), SimplifyPower(body, exponent)]);
        }

        return SymbolicExpression.Power(baseExpression, exponent);
    }

    private static SymbolicExpression SimplifyProduct(IEnumerable<SymbolicExpression> simplifiedFactors)
    {
        double coefficient = 1.0;
        var others = new List<SymbolicExpression>();
        foreach (var factor in Flatten<ProductExpression>(simplifiedFactors, p => p.Factors))
        {
            if (factor is ConstantExpression constant)
            {
                coefficient *= constant.Value;
            }
            else
            {
                others.Add(factor);
            }
        }

        if (coefficient == 0.0 || others.Count == 0)
        {
            return SymbolicExpression.Constant(coefficient);
        }

        if (MergeFactors(others) is List<SymbolicExpression> merged)
        {
            return SimplifyProduct([SymbolicExpression.Constant(coefficient), .. merged]);
        }

        // Plain variables first, in index order (x1*x2, not x2*x1, whichever multiplication sub-node came first),
        // then powers of variables (a*sqrt(b)*cos(c) however the product was multiplied out); the stable sort
        // leaves every other factor where it was.
        others = others.OrderBy(f => f switch
        {
            VariableExpression variable => variable.Index,
            PowerExpression { Base: VariableExpression variable } => int.MaxValue / 2 + variable.Index,
            _ => int.MaxValue,
        }).ToList();

        // c·(u + v + k) → c·u + c·v + c·k: this is what merges a·(b·x + c) + d into one affine map.
        if (others.Count == 1 && others[0] is SumExpression sum && coefficient != 1.0)
        {
            return SimplifySum(sum.Terms.Select(t => SimplifyProduct([SymbolicExpression.Constant(coefficient), t])));
        }

        return coefficient == 1.0
            ? SymbolicExpression.Multiply(others)
            : SymbolicExpression.Multiply([SymbolicExpression.Constant(coefficient), .. others]);
    }

    /// <summary>
    /// The factors with exp(a)·exp(b) = exp(a + b) (for every real a, b) and u^a·u^b = u^(a+b) applied (equal
    /// wherever the product is defined: for u &lt; 0 both exponents must be integers for it to be), or null when
    /// nothing merges.
    /// </summary>
    private static List<SymbolicExpression>? MergeFactors(List<SymbolicExpression> factors)
    {
        var exponents = new List<(SymbolicExpression Base, double Exponent)>();
        var indexByKey = new Dictionary<string, int>(StringComparer.Ordinal);
        var exponentials = new List<SymbolicExpression>();
        int expPosition = -1;
        bool merged = false;
        foreach (var factor in factors)
        {
            if (factor is CallExpression call && IsBuiltIn(call.Function, Ids.Exp))
            {
                if (expPosition < 0)
                {
                    expPosition = exponents.Count;
                    exponents.Add((factor, 1.0));
                }
                else
                {
                    merged = true;
                }

                exponentials.Add(call.Argument);
                continue;
            }

            (var body, double exponent) = factor is PowerExpression power ? (power.Base, power.Exponent) : (factor, 1.0);
            string key = SymbolicPrinter.Print(body, PrintDialect.Text, variableNames: null);
            if (indexByKey.TryGetValue(key, out int index))
            {
                exponents[index] = (exponents[index].Base, exponents[index].Exponent + exponent);
                merged = true;
            }
            else
            {
                indexByKey[key] = exponents.Count;
                exponents.Add((body, exponent));
            }
        }

        if (!merged)
        {
            return null;
        }

        var result = new List<SymbolicExpression>();
        for (int k = 0; k < exponents.Count; k++)
        {
            result.Add(k == expPosition
                ? SimplifyCall(new CallExpression(((CallExpression)exponents[k].Base).Function, SimplifySum(exponentials)))
                : SimplifyPower(exponents[k].Base, exponents[k].Exponent));
        }

        return result;
    }

    private static SymbolicExpression SimplifySum(IEnumerable<SymbolicExpression> simplifiedTerms)
    {
        var collected = CollectSum(simplifiedTerms);
        if (collected is not SumExpression sum)
        {
            return collected;
        }

        // Two readings that can only be judged by their length: products of sums multiplied out (like terms then
        // cancel: −1.3·a + (log b + 1.3)·a = a·log b), and k ± k·tanh(w) as the logistic 2k/(1 + exp(∓2w)).
        SymbolicExpression best = collected;
        int bestSize = NodeCount(collected);
        foreach (var candidate in new[] { Expanded(sum), Logistic(sum) })
        {
            if (candidate is not null && NodeCount(candidate) < bestSize)
            {
                (best, bestSize) = (candidate, NodeCount(candidate));
            }
        }

        return best;
    }

    /// <summary>Nodes of the expression tree: what "shorter" means when two equal forms compete.</summary>
    internal static int NodeCount(SymbolicExpression expression) => expression switch
    {
        CallExpression call => 1 + NodeCount(call.Argument),
        PowerExpression power => 2 + NodeCount(power.Base),
        ProductExpression product => product.Factors.Count - 1 + product.Factors.Sum(NodeCount),
        SumExpression sum => sum.Terms.Count - 1 + sum.Terms.Sum(NodeCount),
        _ => 1,
    };

    /// <summary>
    /// The sum with every product that has a sum among its factors multiplied out one level
    /// (<see cref="ExpressionExpansion.MultiplyOutOnce"/>), or null when no term has one.
    /// </summary>
    private static SymbolicExpression? Expanded(SumExpression sum) =>
        ExpressionExpansion.MultiplyOutOnce(sum.Terms, SimplifyProduct) is { } terms ? CollectSum(terms) : null;

    /// <summary>
    /// k + c·tanh(w) with c = ±k (to 1e-12 relative, as after rounding): k·(1 ∓ tanh w) = 2k/(1 + exp(±2w)) (the
    /// identity tanh w = (1 − e^(−2w))/(1 + e^(−2w)); both sides are finite for every real w); other terms stay.
    /// Null when the sum has no such pair.
    /// </summary>
    private static SymbolicExpression? Logistic(SumExpression sum)
    {
        if (sum.Terms[^1] is not ConstantExpression constant || constant.Value == 0.0 || !double.IsFinite(constant.Value))
        {
            return null;
        }

        double k = constant.Value;
        for (int t = 0; t < sum.Terms.Count - 1; t++)
        {
            (double c, var body) = SplitCoefficient(sum.Terms[t]);
            if (body is not CallExpression tanh || !IsBuiltIn(tanh.Function, Ids.Tanh) || !(Math.Abs(Math.Abs(c) - Math.Abs(k)) <= 1e-12 * Math.Abs(k)))
            {
                continue;
            }

            // k − k·tanh w = 2k/(1 + e^(2w)); k + k·tanh w = 2k/(1 + e^(−2w)).
            double sign = Math.Sign(c) == Math.Sign(k) ? -2.0 : 2.0;
            var exponential = SimplifyCall(new CallExpression(BuiltIn(Ids.Exp), SimplifyProduct([SymbolicExpression.Constant(sign), tanh.Argument])));
            var logistic = SimplifyProduct([SymbolicExpression.Constant(2.0 * k), SimplifyPower(CollectSum([SymbolicExpression.One, exponential]), -1.0)]);
            var others = sum.Terms.Where((_, index) => index != t && index != sum.Terms.Count - 1);
            return CollectSum([.. others, logistic]);
        }

        return null;
    }

    /// <summary>Flattens, folds the constants and combines terms that differ only in their constant coefficient.</summary>
    private static SymbolicExpression CollectSum(IEnumerable<SymbolicExpression> simplifiedTerms)
    {
        double constantSum = 0.0;
        var groups = new List<(SymbolicExpression Body, double Coefficient)>();
        var indexByKey = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var term in Flatten<SumExpression>(simplifiedTerms, s => s.Terms))
        {
            if (term is ConstantExpression constant)
            {
                constantSum += constant.Value;
                continue;
            }

            (double coefficient, var rest) = SplitCoefficient(term);
            string key = SymbolicPrinter.Print(rest, PrintDialect.Text, variableNames: null);
            if (indexByKey.TryGetValue(key, out int index))
            {
                groups[index] = (groups[index].Body, groups[index].Coefficient + coefficient);
            }
            else
            {
                indexByKey[key] = groups.Count;
                groups.Add((rest, coefficient));
            }
        }

        var terms = groups
            .Where(g => g.Coefficient != 0.0)
            .Select(g => SimplifyProduct([SymbolicExpression.Constant(g.Coefficient), g.Body]))
            .OrderBy(t => ContainsCall(t) ? 1 : 0)
            .ToList();
        if (constantSum != 0.0 || terms.Count == 0)
        {
            terms.Add(SymbolicExpression.Constant(constantSum));
        }

        return SymbolicExpression.Add(terms);
    }

    /// <summary>
    /// The coefficient k that every term of <paramref name="sum"/> (its constant included) carries, within
    /// <see cref="QuarterTurnTolerance"/> relative — fitted constants that should be equal agree only to ~1e-12 — or
    /// null when they differ or k is 1. Snapping to one k moves the value by at most that relative amount (the search
    /// scores formulas after simplification, so that is checked on data).
    /// </summary>
    private static double? CommonCoefficient(SumExpression sum)
    {
        double first = sum.Terms[0] is ConstantExpression c0 ? c0.Value : SplitCoefficient(sum.Terms[0]).Coefficient;
        double total = 0.0;
        foreach (var term in sum.Terms)
        {
            double coefficient = term is ConstantExpression constant ? constant.Value : SplitCoefficient(term).Coefficient;
            if (Math.Abs(coefficient - first) > QuarterTurnTolerance * Math.Abs(first))
            {
                return null;
            }

            total += coefficient;
        }

        double common = total / sum.Terms.Count;
        return common == 1.0 || common == 0.0 ? null : common;
    }

    private static (double Coefficient, SymbolicExpression Body) SplitCoefficient(SymbolicExpression term) =>
        term is ProductExpression product && product.Factors[0] is ConstantExpression constant
            ? (constant.Value, SymbolicExpression.Multiply(product.Factors.Skip(1)))
            : (1.0, term);

    private static bool ContainsCall(SymbolicExpression expression) => expression switch
    {
        CallExpression => true,
        PowerExpression power => ContainsCall(power.Base),
        ProductExpression product => product.Factors.Any(ContainsCall),
        SumExpression sum => sum.Terms.Any(ContainsCall),
        _ => false,
    };

    private static IEnumerable<SymbolicExpression> Flatten<TNode>(
        IEnumerable<SymbolicExpression> items, Func<TNode, IReadOnlyList<SymbolicExpression>> children)
        where TNode : SymbolicExpression
    {
        foreach (var item in items)
        {
            if (item is TNode node)
            {
                foreach (var child in Flatten(children(node), children))
                {
                    yield return child;
                }
            }
            else
            {
                yield return item;
            }
        }
    }
}
