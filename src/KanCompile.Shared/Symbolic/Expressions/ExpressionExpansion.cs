namespace KanCompile.Symbolic.Expressions;

/// <summary>
/// Multiplying out (distributivity: (a + b)·(c + d) = a·c + a·d + b·c + b·d, exact wherever both sides are defined),
/// defined once for every caller: <see cref="Distribute{T}"/> is the law itself, <see cref="MultiplyOutOnce"/> applies
/// it one level deep (the simplifier's candidate reading) and <see cref="MultiplyOut"/> all the way down, small integer
/// powers of sums and function arguments included (the discovery refit's starting form).
/// </summary>
internal static class ExpressionExpansion
{
    /// <summary>Multiplying out stops being worth it beyond this many terms.</summary>
    public const int MaxTerms = 64;

    /// <summary>Integer powers of sums up to this exponent are multiplied out by <see cref="MultiplyOut"/>.</summary>
    public const int MaxPower = 4;

    /// <summary>
    /// Every choice of one term from each factor, combined left to right by <paramref name="multiply"/> starting from
    /// <paramref name="seed"/>; the first factor's terms vary slowest.
    /// </summary>
    public static List<T> Distribute<T>(IEnumerable<IReadOnlyList<SymbolicExpression>> factorTerms, T seed, Func<T, SymbolicExpression, T> multiply)
    {
        var products = new List<T> { seed };
        foreach (var terms in factorTerms)
        {
            products = products.SelectMany(p => terms.Select(t => multiply(p, t))).ToList();
        }

        return products;
    }

    /// <summary>How many terms multiplying out these factors gives (saturating above <see cref="MaxTerms"/>).</summary>
    public static int TermCount(IEnumerable<IReadOnlyList<SymbolicExpression>> factorTerms)
    {
        int count = 1;
        foreach (var terms in factorTerms)
        {
            count = Math.Min(count * terms.Count, MaxTerms + 1);
        }

        return count;
    }

    /// <summary>A factor's terms: a sum's terms, or the factor alone.</summary>
    public static IReadOnlyList<SymbolicExpression> TermsOf(SymbolicExpression factor) => factor is SumExpression sum ? sum.Terms : [factor];

    /// <summary>
    /// The terms of a sum with every product term multiplied out one level (sums among its factors distributed, each
    /// resulting choice of factors formed by <paramref name="product"/>; products without a sum go through it too);
    /// null when no product has a sum among its factors or the result would exceed <see cref="MaxTerms"/>.
    /// </summary>
    public static List<SymbolicExpression>? MultiplyOutOnce(IReadOnlyList<SymbolicExpression> terms, Func<List<SymbolicExpression>, SymbolicExpression> product)
    {
        int expandedTerms = terms.Sum(t => t is ProductExpression p ? TermCount(p.Factors.Select(TermsOf)) : 1);
        if (expandedTerms == terms.Count || expandedTerms > MaxTerms)
        {
            return null;
        }

        var result = new List<SymbolicExpression>();
        foreach (var term in terms)
        {
            if (term is ProductExpression p)
            {
                result.AddRange(Distribute(p.Factors.Select(TermsOf), new List<SymbolicExpression>(), (chosen, factor) => [.. chosen, factor]).Select(product));
            }
            else
            {
                result.Add(term);
            }
        }

        return result;
    }

    /// <summary>
    /// The expression multiplied out all the way down — products of sums distributed and integer powers
    /// (2…<see cref="MaxPower"/>) of sums expanded, inside function arguments and other powers too — and simplified
    /// (like terms collected); null when some sum would exceed <see cref="MaxTerms"/> terms.
    /// </summary>
    public static SymbolicExpression? MultiplyOut(SymbolicExpression expression)
    {
        var terms = Terms(expression);
        return terms is null ? null : SymbolicExpression.Add(terms).Simplify();
    }

    /// <summary>The terms of the multiplied-out expression (each free of sums at the top), or null when too many.</summary>
    private static List<SymbolicExpression>? Terms(SymbolicExpression expression)
    {
        switch (expression)
        {
            case SumExpression sum:
            {
                var terms = new List<SymbolicExpression>();
                foreach (var term in sum.Terms)
                {
                    var inner = Terms(term);
                    if (inner is null || terms.Count + inner.Count > MaxTerms)
                    {
                        return null;
                    }

                    terms.AddRange(inner);
                }

                return terms;
            }

            case ProductExpression product:
                return Product(product.Factors.Select(Terms));

            case PowerExpression power when double.IsInteger(power.Exponent) && power.Exponent >= 2 && power.Exponent <= MaxPower:
            {
                var inner = Terms(power.Base);
                if (inner is null)
                {
                    return null;
                }

                return inner.Count == 1
                    ? [SymbolicExpression.Power(inner[0], power.Exponent).Simplify()]
                    : Product(Enumerable.Repeat(inner, (int)power.Exponent));
            }

            case PowerExpression power:
                return MultiplyOut(power.Base) is { } expandedBase ? [SymbolicExpression.Power(expandedBase, power.Exponent).Simplify()] : null;

            case CallExpression call:
                return MultiplyOut(call.Argument) is { } argument ? [SymbolicExpression.Call(call.Function, argument).Simplify()] : null;

            default:
                return [expression];
        }
    }

    /// <summary>
    /// The terms of a product whose factors are already multiplied out (null: too many), each partial product
    /// simplified as it grows; null when a factor is or the product would exceed <see cref="MaxTerms"/> terms.
    /// The factors are enumerated one at a time, so multiplying out stops at the first that makes it too large.
    /// </summary>
    private static List<SymbolicExpression>? Product(IEnumerable<List<SymbolicExpression>?> factors)
    {
        var factorTerms = new List<IReadOnlyList<SymbolicExpression>>();
        foreach (var terms in factors)
        {
            if (terms is null)
            {
                return null;
            }

            factorTerms.Add(terms);
            if (TermCount(factorTerms) > MaxTerms)
            {
                return null;
            }
        }

        return Distribute(factorTerms, SymbolicExpression.One, (t, u) => SymbolicExpression.Multiply(t, u).Simplify());
    }
}
