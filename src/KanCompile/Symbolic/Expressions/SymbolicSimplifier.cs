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
    public static SymbolicExpression Round(SymbolicExpression expression, int digits) => expression switch
    {
        // Math.Round accepts at most 15 digits; a double has no more decimals worth rounding than that.
        ConstantExpression constant => digits > 15
            ? constant
            : SymbolicExpression.Constant(Math.Round(constant.Value, digits, MidpointRounding.ToEven)),
        VariableExpression => expression,
        CallExpression call => SymbolicExpression.Call(call.Function, Round(call.Argument, digits)),
        PowerExpression power => SymbolicExpression.Power(Round(power.Base, digits), power.Exponent),
        ProductExpression product => SymbolicExpression.Multiply(product.Factors.Select(f => Round(f, digits))),
        SumExpression sum => SymbolicExpression.Add(sum.Terms.Select(t => Round(t, digits))),
        _ => throw new ArgumentException($"Unknown expression node {expression.GetType().Name}.", nameof(expression)),
    };

    /// <summary>Library functions with f(−u) = −f(u).</summary>
    private static readonly HashSet<string> OddFunctions = new(StringComparer.Ordinal)
    {
        "x", "x^3", "x^5", "1/x", "1/x^3", "1/x^5", "sin", "tan", "tanh", "sgn", "arcsin", "arctan", "arctanh",
    };

    /// <summary>Library functions with f(−u) = f(u).</summary>
    private static readonly HashSet<string> EvenFunctions = new(StringComparer.Ordinal)
    {
        "x^2", "x^4", "1/x^2", "1/x^4", "cos", "abs", "gaussian",
    };

    private static SymbolicExpression SimplifyCall(CallExpression call)
    {
        var argument = Simplify(call.Argument);
        if (argument is ConstantExpression constant)
        {
            return SymbolicExpression.Constant(call.Function.Evaluate(constant.Value));
        }

        string name = call.Function.Name;
        if ((OddFunctions.Contains(name) || EvenFunctions.Contains(name)) && LeadsNegative(argument))
        {
            var negated = SimplifyProduct([SymbolicExpression.Constant(-1.0), argument]);
            var mirrored = SymbolicExpression.Call(call.Function, negated);
            return OddFunctions.Contains(name) ? SimplifyProduct([SymbolicExpression.Constant(-1.0), mirrored]) : mirrored;
        }

        if (IsBuiltIn(call.Function, "exp"))
        {
            // exp(log u) = u only where u ≥ 0 (u = 0 gives exp(−∞) = 0); for u < 0 exp(log u) is NaN, so the rule
            // needs u ≥ 0 guaranteed by the expression itself.
            if (argument is CallExpression inner && IsBuiltIn(inner.Function, "log") && IsNonNegative(inner.Argument))
            {
                return inner.Argument;
            }
        }

        if (IsBuiltIn(call.Function, "log"))
        {
            SymbolicExpression? canonical = SimplifyLog(call.Function, argument);
            if (canonical is not null)
            {
                return canonical;
            }
        }

        // |u| = u wherever u ≥ 0 is guaranteed (e.g. |exp(v)|, |v^2|).
        if (IsBuiltIn(call.Function, "abs") && IsNonNegative(argument))
        {
            return argument;
        }

        // exp(u + k) = e^k·exp(u): the constant joins the coefficient in front, where fitted constants cancel.
        if (name == "exp" && argument is SumExpression sum && sum.Terms[^1] is ConstantExpression shift)
        {
            var rest = SimplifySum(sum.Terms.Take(sum.Terms.Count - 1));
            return SimplifyProduct([SymbolicExpression.Constant(Math.Exp(shift.Value)), SymbolicExpression.Call(call.Function, rest)]);
        }

        return SymbolicExpression.Call(call.Function, argument);
    }

    /// <summary>The canonical form of log(argument), or null when no rule applies.</summary>
    private static SymbolicExpression? SimplifyLog(SymbolicFunction log, SymbolicExpression argument)
    {
        // log(exp u) = u for every real u (the unsimplified form overflows beyond |u| ≈ 709; this one does not).
        if (argument is CallExpression inner && IsBuiltIn(inner.Function, "exp"))
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
        CallExpression call => IsBuiltIn(call.Function, "exp") || IsBuiltIn(call.Function, "abs"),
        PowerExpression power => IsEvenInteger(power.Exponent) || !double.IsInteger(power.Exponent) || IsNonNegative(power.Base),
        ProductExpression product => product.Factors.All(IsNonNegative),
        SumExpression sum => sum.Terms.All(IsNonNegative),
        _ => false,
    };

    private static bool IsEvenInteger(double value) => double.IsInteger(value) && Math.IEEERemainder(value, 2.0) == 0.0;

    /// <summary>True when <paramref name="function"/> is the built-in library entry <paramref name="name"/>.</summary>
    private static bool IsBuiltIn(SymbolicFunction function, string name) =>
        SymbolicLibrary.Default.TryGet(name, out var builtIn) && ReferenceEquals(function, builtIn);

    private static SymbolicExpression Abs(SymbolicExpression argument) =>
        SimplifyCall(new CallExpression(SymbolicLibrary.Default.Get("abs"), argument));

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
            if (IsBuiltIn(call.Function, "exp"))
            {
                return SimplifyCall(new CallExpression(call.Function, SimplifyProduct([SymbolicExpression.Constant(exponent), call.Argument])));
            }

            // |u|^n = u^n for even integer n.
            if (IsBuiltIn(call.Function, "abs") && IsEvenInteger(exponent))
            {
                return SimplifyPower(call.Argument, exponent);
            }
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

        // Plain variables first, in index order (x1*x2, not x2*x1, whichever multiplication sub-node came first);
        // the stable sort leaves every other factor where it was.
        others = others.OrderBy(f => f is VariableExpression variable ? variable.Index : int.MaxValue).ToList();

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
            if (factor is CallExpression call && IsBuiltIn(call.Function, "exp"))
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
