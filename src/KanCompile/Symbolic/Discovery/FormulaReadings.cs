using KanCompile.Symbolic.Expressions;

namespace KanCompile.Symbolic.Discovery;

/// <summary>
/// Laws that read as written (issue 18 item 4): the found formula is rewritten by identities — inverse trigonometric
/// compositions (cos(asin u) = √(1 − u²)), hyperbolic functions through exp and log, sin² = 1 − cos², powers of
/// products and quotients, sums over one denominator, factors common to every term, signs — in a short search over
/// chains of rewrites, and the shortest printed form whose RMSE on held-back rows stays within the caller's limit is
/// kept. Rewrites that hold only on part of the real line (|u| = u, (a·b)^½ = √a·√b) are tried too: the rows decide.
/// Then every constant is snapped to the simple number it stands for when the rows confirm it
/// (<see cref="ConstantSnapping"/>). Nothing here knows a law.
/// </summary>
internal static class FormulaReadings
{
    /// <summary>Rewrites chained at most.</summary>
    private const int Depth = 6;

    /// <summary>Forms carried from one round of rewrites to the next (the shortest; a long form may lead to a short one).</summary>
    private const int Frontier = 16;

    private static readonly SymbolicLibrary Library = SymbolicLibrary.Default;

    /// <summary>The rewrites: each returns the whole expression rewritten, or null when it does not apply.</summary>
    private static readonly (string Name, Func<SymbolicExpression, SymbolicExpression?> Apply)[] Rules =
    [
        ("inverse trigonometry", InverseTrigonometry),
        ("tanh as exp", e => Everywhere(e, node => IsCall(node, "tanh", out var u) ? TanhAsExp(u) : null)),
        ("atanh as log", e => Everywhere(e, node => IsCall(node, "arctanh", out var u) ? AtanhAsLog(u) : null)),
        ("1 - tanh^2", e => Everywhere(e, SechSquared)),
        ("sin^2 as 1 - cos^2", e => Everywhere(e, node => Square(node, "sin", "cos"))),
        ("cos^2 as 1 - sin^2", e => Everywhere(e, node => Square(node, "cos", "sin"))),
        ("multiplied out", e => ExpressionExpansion.MultiplyOut(e)),
        ("one denominator", e => Everywhere(e, Together)),
        ("one denominator, outermost sums", e => Outermost(e, Together)),
        ("common factor", e => Everywhere(e, CommonFactor)),
        ("coefficient out of a power", e => Everywhere(e, CoefficientOutOfPower)),
        ("negligible terms", e => Everywhere(e, NegligibleTerms)),
        ("logs of a quotient", e => Everywhere(e, LogOfQuotient)),
        ("coefficient into a sum", e => Everywhere(e, CoefficientIntoSum)),
        ("powers of products", e => Everywhere(e, DistributePower)),
        ("reciprocal quotients", e => Everywhere(e, InvertQuotient)),
        ("|u| = u", e => Everywhere(e, node => IsCall(node, "abs", out var u) ? u : null)),
        ("|u| = -u", e => Everywhere(e, node => IsCall(node, "abs", out var u) ? Negate(u) : null)),
        ("signs", e => Everywhere(e, Sign)),
    ];

    /// <summary>
    /// The shortest reading of <paramref name="formula"/> (output <paramref name="output"/>) whose RMSE on
    /// <paramref name="rows"/> is at most <paramref name="limit"/>, with its constants snapped where that holds too.
    /// </summary>
    public static SymbolicExpression Best(SymbolicExpression formula, int output, SearchRows rows, double limit)
    {
        bool Accept(SymbolicExpression candidate) => FormulaRefit.Rmse(candidate, output, rows) <= limit;
        var best = formula;
        int bestCost = Cost(formula);
        var seen = new HashSet<string>(StringComparer.Ordinal) { formula.ToText() };
        var frontier = new List<SymbolicExpression> { formula };
        for (int depth = 0; depth < Depth && frontier.Count > 0; depth++)
        {
            var next = new List<SymbolicExpression>();
            foreach (var form in frontier)
            {
                foreach (var (_, apply) in Rules)
                {
                    SymbolicExpression? rewritten;
                    try
                    {
                        rewritten = apply(form)?.Simplify();
                    }
                    catch (ArgumentException)
                    {
                        // A rewrite that builds something the simplifier refuses is simply not a reading.
                        continue;
                    }

                    // Constants a rewrite leaves a few ulps off a short number (0.9999999999999999) are rounded
                    // where the rows allow, so the form is costed as it will read.
                    if (rewritten is not null && Rounded(rewritten) is { } rounded && Accept(rounded))
                    {
                        rewritten = rounded;
                    }

                    if (rewritten is null || !seen.Add(rewritten.ToText()) || !Accept(rewritten))
                    {
                        continue;
                    }

                    next.Add(rewritten);
                    int cost = Cost(rewritten);
                    if (cost < bestCost)
                    {
                        (best, bestCost) = (rewritten, cost);
                    }
                }
            }

            frontier = next.OrderBy(Cost).Take(Frontier).ToList();
        }

        var snapped = ConstantSnapping.Snap(best, Accept);
        var presented = Presented(snapped);
        return Accept(presented) ? presented : snapped;
    }

    /// <summary>The expression with every sum reordered to lead with a term that has no minus, where one exists.</summary>
    private static SymbolicExpression Presented(SymbolicExpression expression) => Everywhere(expression, PositiveFirst) ?? expression;

    /// <summary>A sum that leads with a minus, reordered to lead with a term that does not: 1 - a rather than -a + 1.</summary>
    private static SymbolicExpression? PositiveFirst(SymbolicExpression node)
    {
        if (node is not SumExpression sum || !LeadsNegative(sum.Terms[0]))
        {
            return null;
        }

        int first = Enumerable.Range(1, sum.Terms.Count - 1).FirstOrDefault(k => !LeadsNegative(sum.Terms[k]));
        return first == 0 ? null : SymbolicExpression.Add([sum.Terms[first], .. sum.Terms.Where((_, k) => k != first)]);
    }

    private static bool LeadsNegative(SymbolicExpression term) => term switch
    {
        ConstantExpression constant => constant.Value < 0,
        ProductExpression { Factors: [ConstantExpression constant, ..] } => constant.Value < 0,
        _ => false,
    };

    /// <summary>
    /// What "reads as written" costs: the printed length (a constant's every digit counts), plus
    /// <see cref="NestedCallCost"/> for every function applied to a function (cos(asin b) reads worse than
    /// sqrt(1 - b^2), though shorter) and <see cref="RepeatCost"/> for every repeated occurrence of a variable
    /// (a*(1 + b) reads closer to a law than a + a*b).
    /// </summary>
    private static int Cost(SymbolicExpression expression)
    {
        var nodes = ExpressionRewriter.Nodes(expression).ToList();
        int nested = nodes.OfType<CallExpression>().Count(call => ExpressionRewriter.Nodes(call.Argument).Any(n => n is CallExpression));
        int repeats = nodes.OfType<VariableExpression>().GroupBy(v => v.Index).Sum(g => g.Count() - 1);
        // Every variable printed as one letter, so a name's length does not weigh its repeats.
        var letters = Enumerable.Range(0, nodes.OfType<VariableExpression>().Select(v => v.Index + 1).DefaultIfEmpty(0).Max()).Select(i => ((char)('a' + i % 26)).ToString()).ToArray();
        return Presented(expression).ToText(letters).Length + NestedCallCost * nested + RepeatCost * repeats + NumberCost * PrintedNumbers(expression);
    }

    private const int NestedCallCost = 16;

    /// <summary>What each printed number other than ±1 costs beyond its digits: 2a/(a + b) − 1 reads worse than (a − b)/(a + b).</summary>
    private const int NumberCost = 4;

    /// <summary>The numbers other than ±1 the expression prints (a + 1 reads as written; 2a/(a + b) − 1 has one number too many).</summary>
    private static int PrintedNumbers(SymbolicExpression expression) => expression switch
    {
        ConstantExpression { Value: 1.0 or -1.0 } => 0,
        ConstantExpression => 1,
        ProductExpression product => product.Factors.Sum(PrintedNumbers),
        SumExpression sum => sum.Terms.Sum(PrintedNumbers),
        PowerExpression power => PrintedNumbers(power.Base),
        CallExpression call => PrintedNumbers(call.Argument),
        _ => 0,
    };

    /// <summary>Significant digits a constant is rounded to when a rewrite leaves it a few ulps off (the rows decide).</summary>
    private const int RoundedDigits = 12;

    /// <summary>The expression with every constant rounded to <see cref="RoundedDigits"/> significant digits; null when none changes.</summary>
    private static SymbolicExpression? Rounded(SymbolicExpression expression)
    {
        bool changed = false;
        var result = ExpressionRewriter.Rewrite(expression, node =>
        {
            if (node is not ConstantExpression { Value: var value } || value == 0.0 || !double.IsFinite(value))
            {
                return null;
            }

            double scale = Math.Pow(10.0, RoundedDigits - 1 - (int)Math.Floor(Math.Log10(Math.Abs(value))));
            double rounded = Math.Round(value * scale) / scale;
            if (rounded == value || !double.IsFinite(rounded))
            {
                return null;
            }

            changed = true;
            return Constant(rounded);
        });
        return changed ? result.Simplify() : null;
    }

    /// <summary>
    /// (c·t₁ ± c·t₂ ± …)^p = c^p·(t₁ ± t₂ ± …)^p when the terms' coefficients agree in magnitude within
    /// <see cref="SharedCoefficientTolerance"/>: 0.974·sqrt(1.0542·a² − 1.0542·b²) = sqrt(a² − b²). A product
    /// c·(sum) is multiplied out again by the simplifier, so the coefficient has to leave through the power.
    /// </summary>
    private static SymbolicExpression? CoefficientOutOfPower(SymbolicExpression node)
    {
        if (node is not PowerExpression { Base: SumExpression sum } power)
        {
            return null;
        }

        var split = sum.Terms.Select(SplitCoefficient).ToArray();
        double magnitude = split.Average(t => Math.Abs(t.Coefficient));
        if (magnitude == 1.0 || !(magnitude > 0.0) || split.Any(t => Math.Abs(Math.Abs(t.Coefficient) - magnitude) > SharedCoefficientTolerance * magnitude))
        {
            return null;
        }

        var inside = SymbolicExpression.Add(split.Select(t => SymbolicExpression.Multiply(Constant(Math.Sign(t.Coefficient)), t.Body)).ToArray());
        return SymbolicExpression.Multiply(Constant(Math.Pow(magnitude, power.Exponent)), SymbolicExpression.Power(inside, power.Exponent));
    }

    private const int RepeatCost = 3;

    /// <summary>Rewrites every node bottom-up: children first, then the node itself where <paramref name="rewrite"/> applies; null when nothing changed.</summary>
    private static SymbolicExpression? Everywhere(SymbolicExpression expression, Func<SymbolicExpression, SymbolicExpression?> rewrite)
    {
        bool changed = false;
        var result = ExpressionRewriter.RewriteBottomUp(expression, node =>
        {
            var replaced = rewrite(node);
            changed |= replaced is not null;
            return replaced ?? node;
        });
        return changed ? result : null;
    }

    /// <summary>Rewrites the outermost nodes where <paramref name="rewrite"/> applies (not what lies inside them); null when none does.</summary>
    private static SymbolicExpression? Outermost(SymbolicExpression expression, Func<SymbolicExpression, SymbolicExpression?> rewrite)
    {
        bool changed = false;
        var result = ExpressionRewriter.Rewrite(expression, node =>
        {
            var replaced = rewrite(node);
            changed |= replaced is not null;
            return replaced;
        });
        return changed ? result : null;
    }

    private static bool IsCall(SymbolicExpression node, string name, out SymbolicExpression argument)
    {
        if (node is CallExpression call && Library.TryGet(name, out var function) && ReferenceEquals(call.Function, function))
        {
            argument = call.Argument;
            return true;
        }

        argument = null!;
        return false;
    }

    private static SymbolicExpression Call(string name, SymbolicExpression argument) => Library.Get(name).Apply(argument);

    private static SymbolicExpression Constant(double value) => SymbolicExpression.Constant(value);

    private static SymbolicExpression Negate(SymbolicExpression u) => SymbolicExpression.Multiply(Constant(-1.0), u);

    private static SymbolicExpression Minus(SymbolicExpression a, SymbolicExpression b) => SymbolicExpression.Add(a, Negate(b));

    /// <summary>cos(asin u) = sin(acos u) = √(1 − u²), cos(atan u) = 1/√(1 + u²), sin(atan u) = u/√(1 + u²), tan(asin u) = u/√(1 − u²).</summary>
    private static SymbolicExpression? InverseTrigonometry(SymbolicExpression expression) => Everywhere(expression, node =>
    {
        SymbolicExpression OneMinusSquare(SymbolicExpression u) => Minus(Constant(1.0), SymbolicExpression.Power(u, 2.0));
        SymbolicExpression OnePlusSquare(SymbolicExpression u) => SymbolicExpression.Add(Constant(1.0), SymbolicExpression.Power(u, 2.0));
        if (IsCall(node, "cos", out var c) && IsCall(c, "arcsin", out var u1))
        {
            return SymbolicExpression.Power(OneMinusSquare(u1), 0.5);
        }

        if (IsCall(node, "sin", out var s) && IsCall(s, "arccos", out var u2))
        {
            return SymbolicExpression.Power(OneMinusSquare(u2), 0.5);
        }

        if (IsCall(node, "cos", out var c2) && IsCall(c2, "arctan", out var u3))
        {
            return SymbolicExpression.Power(OnePlusSquare(u3), -0.5);
        }

        if (IsCall(node, "sin", out var s2) && IsCall(s2, "arctan", out var u4))
        {
            return SymbolicExpression.Multiply(u4, SymbolicExpression.Power(OnePlusSquare(u4), -0.5));
        }

        if (IsCall(node, "tan", out var t) && IsCall(t, "arcsin", out var u5))
        {
            return SymbolicExpression.Multiply(u5, SymbolicExpression.Power(OneMinusSquare(u5), -0.5));
        }

        return null;
    });

    /// <summary>tanh u = (e^(2u) − 1)/(e^(2u) + 1).</summary>
    private static SymbolicExpression TanhAsExp(SymbolicExpression u)
    {
        var e2u = Call("exp", SymbolicExpression.Multiply(Constant(2.0), u));
        return SymbolicExpression.Multiply(Minus(e2u, Constant(1.0)), SymbolicExpression.Power(SymbolicExpression.Add(e2u, Constant(1.0)), -1.0));
    }

    /// <summary>atanh u = ½·log((1 + u)/(1 − u)).</summary>
    private static SymbolicExpression AtanhAsLog(SymbolicExpression u) =>
        SymbolicExpression.Multiply(Constant(0.5), Call("log", SymbolicExpression.Multiply(
            SymbolicExpression.Add(Constant(1.0), u), SymbolicExpression.Power(Minus(Constant(1.0), u), -1.0))));

    /// <summary>k − k·tanh(u)² = 4k/(e^u + e^(−u))² inside a sum (the other terms stay).</summary>
    private static SymbolicExpression? SechSquared(SymbolicExpression node)
    {
        if (node is not SumExpression sum)
        {
            return null;
        }

        for (int i = 0; i < sum.Terms.Count; i++)
        {
            if (sum.Terms[i] is not ConstantExpression { Value: var k } || k == 0.0)
            {
                continue;
            }

            for (int j = 0; j < sum.Terms.Count; j++)
            {
                var (coefficient, body) = SplitCoefficient(sum.Terms[j]);
                if (body is PowerExpression { Exponent: 2.0 } square && IsCall(square.Base, "tanh", out var u)
                    && Math.Abs(coefficient + k) <= 1e-12 * Math.Abs(k))
                {
                    var cosh = SymbolicExpression.Add(Call("exp", u), Call("exp", Negate(u)));
                    var replacement = SymbolicExpression.Multiply(Constant(4.0 * k), SymbolicExpression.Power(cosh, -2.0));
                    return SymbolicExpression.Add(sum.Terms.Where((_, index) => index != i && index != j).Append(replacement));
                }
            }
        }

        return null;
    }

    /// <summary>f(u)² = 1 − g(u)² for the Pythagorean pair (f, g) = (sin, cos) or (cos, sin).</summary>
    private static SymbolicExpression? Square(SymbolicExpression node, string name, string other) =>
        node is PowerExpression { Exponent: 2.0 } square && IsCall(square.Base, name, out var u)
            ? Minus(Constant(1.0), SymbolicExpression.Power(Call(other, u), 2.0))
            : null;

    /// <summary>
    /// A sum with fractions as one fraction: N/D with D the product of the distinct denominators (bases of negative
    /// integer powers) and N every term times D, multiplied out; numerator and denominator then divided by the
    /// denominator's leading coefficient.
    /// </summary>
    private static SymbolicExpression? Together(SymbolicExpression node)
    {
        if (node is not SumExpression sum)
        {
            return null;
        }

        var denominators = new Dictionary<string, (SymbolicExpression Base, double Power)>(StringComparer.Ordinal);
        foreach (var term in sum.Terms)
        {
            foreach (var factor in term is ProductExpression product ? product.Factors : [term])
            {
                if (factor is PowerExpression { Exponent: < 0 } reciprocal && double.IsInteger(reciprocal.Exponent))
                {
                    string key = reciprocal.Base.ToText();
                    double power = Math.Max(-reciprocal.Exponent, denominators.TryGetValue(key, out var known) ? known.Power : 0.0);
                    denominators[key] = (reciprocal.Base, power);
                }
            }
        }

        if (denominators.Count == 0)
        {
            return null;
        }

        var denominator = SymbolicExpression.Multiply(denominators.Values.Select(d => SymbolicExpression.Power(d.Base, d.Power)).ToArray());
        var numerator = ExpressionExpansion.MultiplyOut(SymbolicExpression.Add(sum.Terms.Select(t => SymbolicExpression.Multiply(t, denominator).Simplify()).ToArray()));
        var expandedDenominator = ExpressionExpansion.MultiplyOut(denominator);
        if (numerator is null || expandedDenominator is null)
        {
            return null;
        }

        double lead = SplitCoefficient(expandedDenominator is SumExpression terms ? terms.Terms[0] : expandedDenominator).Coefficient;
        if (lead == 0.0 || !double.IsFinite(lead))
        {
            lead = 1.0;
        }

        // Over the denominator's leading coefficient, with a factor common to the numerator's terms pulled out, so
        // (2a + 2b)/(2ab + 2) reads (a + b)/(ab + 1).
        var top = SymbolicExpression.Multiply(Constant(1.0 / lead), numerator).Simplify();
        var bottom = SymbolicExpression.Multiply(Constant(1.0 / lead), expandedDenominator).Simplify();
        return SymbolicExpression.Multiply(CommonFactor(top) ?? top, SymbolicExpression.Power(CommonFactor(bottom) ?? bottom, -1.0));
    }

    /// <summary>
    /// A sum whose terms share factors: the common ones (a variable or call at its lowest power, and a constant
    /// coefficient when every term's agrees in magnitude within 1e-9) pulled out: a + a·b·cos c = a·(1 + b·cos c).
    /// </summary>
    private static SymbolicExpression? CommonFactor(SymbolicExpression node)
    {
        if (node is not SumExpression sum || sum.Terms.Any(t => t is ConstantExpression))
        {
            return null;
        }

        var split = sum.Terms.Select(SplitCoefficient).ToArray();
        var factorSets = split.Select(s => Powers(s.Body)).ToArray();
        var common = new Dictionary<string, (SymbolicExpression Base, double Power)>(StringComparer.Ordinal);
        foreach (var (key, (baseExpression, power)) in factorSets[0])
        {
            if (power <= 0)
            {
                continue;
            }

            double least = power;
            bool everywhere = true;
            foreach (var set in factorSets.Skip(1))
            {
                if (set.TryGetValue(key, out var other) && other.Power > 0)
                {
                    least = Math.Min(least, other.Power);
                }
                else
                {
                    everywhere = false;
                    break;
                }
            }

            if (everywhere)
            {
                common[key] = (baseExpression, least);
            }
        }

        // Coefficients that agree in magnitude within the tolerance (signs stay inside): 1.0542·a² − 1.0542·b².
        double first = Math.Abs(split[0].Coefficient);
        bool sharedCoefficient = first != 1.0 && split.All(s => Math.Abs(Math.Abs(s.Coefficient) - first) <= SharedCoefficientTolerance * first);
        if (common.Count == 0 && !sharedCoefficient)
        {
            return null;
        }

        // A shared coefficient leaves exactly ±1 behind (the copies agree only within the tolerance, so dividing
        // would leave 1.0000000000019 inside); the pulled-out one is their mean, and the rows decide.
        double pulled = sharedCoefficient ? split.Average(s => Math.Abs(s.Coefficient)) : 1.0;
        var outside = common.Values.Select(c => SymbolicExpression.Power(c.Base, c.Power)).ToList();
        var inside = split.Select(s =>
        {
            var factors = new List<SymbolicExpression> { Constant(sharedCoefficient ? Math.Sign(s.Coefficient) : s.Coefficient) };
            foreach (var (key, (baseExpression, power)) in Powers(s.Body))
            {
                double left = power - (common.TryGetValue(key, out var c) ? c.Power : 0.0);
                if (left != 0.0)
                {
                    factors.Add(SymbolicExpression.Power(baseExpression, left));
                }
            }

            return SymbolicExpression.Multiply(factors);
        });
        return SymbolicExpression.Multiply([Constant(pulled), .. outside, SymbolicExpression.Add(inside.ToArray())]);
    }

    /// <summary>
    /// A sum without the terms whose coefficient is below <see cref="SharedCoefficientTolerance"/> of the largest
    /// other one: the residue of constants that cancel, as in 33.3 − 3·11.1 (the rows decide).
    /// </summary>
    private static SymbolicExpression? NegligibleTerms(SymbolicExpression node)
    {
        if (node is not SumExpression sum)
        {
            return null;
        }

        double largest = sum.Terms.Max(t => Math.Abs(SplitCoefficient(t).Coefficient));
        var kept = sum.Terms.Where(t => Math.Abs(SplitCoefficient(t).Coefficient) > SharedCoefficientTolerance * largest).ToArray();
        return kept.Length == sum.Terms.Count || kept.Length == 0 ? null : SymbolicExpression.Add(kept);
    }

    /// <summary>
    /// k·log u − k·log v + … = k·log(u/v·…): the log terms of a sum whose coefficients agree in magnitude (within
    /// <see cref="SharedCoefficientTolerance"/>) as one log of a quotient (where u, v &gt; 0: the rows decide).
    /// </summary>
    private static SymbolicExpression? LogOfQuotient(SymbolicExpression node)
    {
        if (node is not SumExpression sum)
        {
            return null;
        }

        var logs = sum.Terms.Select((t, k) => (Index: k, Split: SplitCoefficient(t)))
            .Where(t => IsCall(t.Split.Body, "log", out _)).ToArray();
        if (logs.Length < 2)
        {
            return null;
        }

        double magnitude = Math.Abs(logs[0].Split.Coefficient);
        if (magnitude == 0.0 || logs.Any(t => Math.Abs(Math.Abs(t.Split.Coefficient) - magnitude) > SharedCoefficientTolerance * magnitude))
        {
            return null;
        }

        var quotient = SymbolicExpression.Multiply(logs.Select(t =>
        {
            IsCall(t.Split.Body, "log", out var u);
            return t.Split.Coefficient > 0 ? u : SymbolicExpression.Power(u, -1.0);
        }).ToArray());
        var combined = SymbolicExpression.Multiply(Constant(magnitude), Call("log", quotient));
        var others = sum.Terms.Where((_, k) => !logs.Any(t => t.Index == k));
        return SymbolicExpression.Add([.. others, combined]);
    }

    /// <summary>Relative difference within which terms' coefficients count as one factor (the rows then decide).</summary>
    private const double SharedCoefficientTolerance = 1e-9;

    /// <summary>c·(t₁ + t₂ + …)·rest = (c·t₁ + c·t₂ + …)·rest: a coefficient taken into the first sum among the factors.</summary>
    private static SymbolicExpression? CoefficientIntoSum(SymbolicExpression node)
    {
        if (node is not ProductExpression { Factors: [ConstantExpression coefficient, ..] } product || coefficient.Value == 1.0)
        {
            return null;
        }

        int index = Enumerable.Range(1, product.Factors.Count - 1).FirstOrDefault(k => product.Factors[k] is SumExpression);
        if (index == 0)
        {
            return null;
        }

        var sum = (SumExpression)product.Factors[index];
        var scaled = SymbolicExpression.Add(sum.Terms.Select(t => SymbolicExpression.Multiply(coefficient, t)).ToArray());
        return SymbolicExpression.Multiply(product.Factors.Skip(1).Select((f, k) => k + 1 == index ? scaled : f).ToArray());
    }

    /// <summary>A product's factors as base → power (a factor without a power has power 1), keyed by the base's text.</summary>
    private static Dictionary<string, (SymbolicExpression Base, double Power)> Powers(SymbolicExpression body)
    {
        var powers = new Dictionary<string, (SymbolicExpression, double)>(StringComparer.Ordinal);
        foreach (var factor in body is ProductExpression product ? product.Factors : [body])
        {
            var (baseExpression, power) = factor is PowerExpression p ? (p.Base, p.Exponent) : (factor, 1.0);
            string key = baseExpression.ToText();
            powers[key] = (baseExpression, (powers.TryGetValue(key, out var known) ? known.Item2 : 0.0) + power);
        }

        return powers;
    }

    /// <summary>(u·v)^p = u^p·v^p (for non-integer p only where u, v ≥ 0: the rows decide).</summary>
    private static SymbolicExpression? DistributePower(SymbolicExpression node) =>
        node is PowerExpression { Base: ProductExpression product } power
            ? SymbolicExpression.Multiply(product.Factors.Select(f => SymbolicExpression.Power(f, power.Exponent)).ToArray())
            : null;

    /// <summary>u^(−p) = (1/u)^p for a quotient u, so 1/sqrt(c/(a·b)) reads sqrt(a·b/c).</summary>
    private static SymbolicExpression? InvertQuotient(SymbolicExpression node) =>
        node is PowerExpression { Exponent: < 0, Base: ProductExpression product } power
        && product.Factors.Any(f => f is PowerExpression { Exponent: < 0 })
            ? SymbolicExpression.Power(SymbolicExpression.Multiply(product.Factors.Select(f => SymbolicExpression.Power(f, -1.0)).ToArray()), -power.Exponent)
            : null;

    /// <summary>S^n = −(−S)^n for a sum S and an odd integer n: (a − 3)^(−1) = −1/(3 − a).</summary>
    private static SymbolicExpression? Sign(SymbolicExpression node) =>
        node is PowerExpression { Base: SumExpression sum } power && double.IsInteger(power.Exponent) && Math.IEEERemainder(power.Exponent, 2.0) != 0.0
            ? Negate(SymbolicExpression.Power(Negate(sum), power.Exponent))
            : null;

    /// <summary>A term as its constant coefficient and the rest.</summary>
    private static (double Coefficient, SymbolicExpression Body) SplitCoefficient(SymbolicExpression term) => term switch
    {
        ConstantExpression constant => (constant.Value, SymbolicExpression.One),
        ProductExpression { Factors: [ConstantExpression constant, ..] } product => (constant.Value, SymbolicExpression.Multiply(product.Factors.Skip(1))),
        _ => (1.0, term),
    };
}
