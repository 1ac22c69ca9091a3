namespace KanCompile.Symbolic.Expressions;

/// <summary>
/// A small bottom-up simplifier: constant folding, flattening, distributing a constant over a sum (which merges
/// nested affine maps), dropping ×1 and +0, removing zero terms and combining terms that differ only in their
/// constant coefficient. Sums list polynomial terms before function calls and the constant last. Identities that
/// let fitted affine constants cancel: (c·u)^n = c^n·u^n, exp(u + k) = e^k·exp(u), f(−u) = −f(u) for odd f and
/// f(−u) = f(u) for even f.
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

        // exp(u + k) = e^k·exp(u): the constant joins the coefficient in front, where fitted constants cancel.
        if (name == "exp" && argument is SumExpression sum && sum.Terms[^1] is ConstantExpression shift)
        {
            var rest = SimplifySum(sum.Terms.Take(sum.Terms.Count - 1));
            return SimplifyProduct([SymbolicExpression.Constant(Math.Exp(shift.Value)), SymbolicExpression.Call(call.Function, rest)]);
        }

        return SymbolicExpression.Call(call.Function, argument);
    }

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

        // (u^m)^n = u^(m·n) holds for integer n whatever the sign of u.
        if (baseExpression is PowerExpression inner && double.IsInteger(exponent))
        {
            return SimplifyPower(inner.Base, inner.Exponent * exponent);
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
