using System.Globalization;

namespace KanCompile.Symbolic.Expressions;

/// <summary>The three output languages of <see cref="SymbolicPrinter"/>.</summary>
internal enum PrintDialect
{
    Text,
    Latex,
    CSharp,
}

/// <summary>
/// Prints expressions with the fewest parentheses that keep the meaning, in plain text, LaTeX or C#.
/// Each rendering carries its precedence: sum 1 (also anything starting with a minus), product 2, power 3, atom 4.
/// </summary>
internal sealed class SymbolicPrinter
{
    private const int SumLevel = 1;
    private const int ProductLevel = 2;
    private const int PowerLevel = 3;
    private const int AtomLevel = 4;

    private readonly PrintDialect _dialect;
    private readonly IReadOnlyList<string>? _names;

    private SymbolicPrinter(PrintDialect dialect, IReadOnlyList<string>? names)
    {
        _dialect = dialect;
        _names = names;
    }

    public static string Print(SymbolicExpression expression, PrintDialect dialect, IReadOnlyList<string>? variableNames)
    {
        ArgumentNullException.ThrowIfNull(expression);
        if (variableNames is not null && variableNames.Count < expression.VariableCount)
        {
            throw new ArgumentException(
                $"The expression reads {expression.VariableCount} input(s) but only {variableNames.Count} variable name(s) were given.",
                nameof(variableNames));
        }

        return new SymbolicPrinter(dialect, variableNames).Render(expression).Text;
    }

    /// <summary>A double as the dialect writes it: shortest round-trip, invariant culture.</summary>
    public static string Number(double value, PrintDialect dialect)
    {
        if (dialect == PrintDialect.CSharp)
        {
            if (double.IsNaN(value)) { return "double.NaN"; }
            if (double.IsPositiveInfinity(value)) { return "double.PositiveInfinity"; }
            if (double.IsNegativeInfinity(value)) { return "double.NegativeInfinity"; }
        }

        string text = value.ToString("R", CultureInfo.InvariantCulture);
        if (dialect == PrintDialect.CSharp && text.IndexOfAny(['.', 'E']) < 0)
        {
            return text + ".0";
        }

        int e = text.IndexOf('E', StringComparison.Ordinal);
        if (dialect == PrintDialect.Latex && e >= 0)
        {
            int exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            return $"{text[..e]} \\cdot 10^{{{exponent.ToString(CultureInfo.InvariantCulture)}}}";
        }

        return text;
    }

    private (string Text, int Level) Render(SymbolicExpression expression) => expression switch
    {
        ConstantExpression { Exact: { } exact } when _dialect != PrintDialect.CSharp => RenderFraction(exact, []),
        ConstantExpression constant => (Number(constant.Value, _dialect), constant.Value < 0 || IsNegativeZero(constant.Value) ? SumLevel : AtomLevel),
        VariableExpression variable => (VariableName(variable.Index), AtomLevel),
        CallExpression call => (RenderCall(call), AtomLevel),
        PowerExpression power => RenderPower(power.Base, power.Exponent),
        ProductExpression product => RenderProduct(product.Factors),
        SumExpression sum => (RenderSum(sum.Terms), SumLevel),
        _ => throw new ArgumentException($"Unknown expression node {expression.GetType().Name}."),
    };

    private static bool IsNegativeZero(double value) => value == 0 && double.IsNegative(value);

    private string VariableName(int index)
    {
        if (_names is not null)
        {
            return _names[index];
        }

        string number = (index + 1).ToString(CultureInfo.InvariantCulture);
        return _dialect == PrintDialect.Latex ? $"x_{{{number}}}" : "x" + number;
    }

    private string RenderCall(CallExpression call)
    {
        string argument = Render(call.Argument).Text;
        return _dialect switch
        {
            PrintDialect.Latex => call.Function.RenderLatex(argument),
            PrintDialect.CSharp => call.Function.RenderCSharp(argument),
            _ => call.Function.RenderText(argument),
        };
    }

    private string Wrap((string Text, int Level) rendered, int minimumLevel) =>
        rendered.Level >= minimumLevel
            ? rendered.Text
            : _dialect == PrintDialect.Latex ? $"\\left({rendered.Text}\\right)" : $"({rendered.Text})";

    private (string Text, int Level) RenderPower(SymbolicExpression baseExpression, double exponent)
    {
        var rendered = Render(baseExpression);
        string whole = rendered.Text;
        return _dialect switch
        {
            PrintDialect.CSharp => exponent switch
            {
                1.0 => rendered,
                0.5 => ($"Math.Sqrt({whole})", AtomLevel),
                -0.5 => ($"1.0 / Math.Sqrt({whole})", ProductLevel),
                -1.0 => ($"1.0 / {Wrap(rendered, AtomLevel)}", ProductLevel),
                _ => ($"Math.Pow({whole}, {Number(exponent, _dialect)})", AtomLevel),
            },
            PrintDialect.Latex => exponent switch
            {
                0.5 => ($"\\sqrt{{{whole}}}", AtomLevel),
                < 0 => ($"\\frac{{1}}{{{RenderPower(baseExpression, -exponent).Text}}}", AtomLevel),
                1.0 => rendered,
                _ => ($"{Wrap(rendered, AtomLevel)}^{{{Number(exponent, _dialect)}}}", PowerLevel),
            },
            _ => exponent switch
            {
                0.5 => ($"sqrt({whole})", AtomLevel),
                < 0 => ($"1/{Wrap(RenderPower(baseExpression, -exponent), PowerLevel)}", ProductLevel),
                1.0 => rendered,
                _ => ($"{Wrap(rendered, AtomLevel)}^{Number(exponent, _dialect)}", PowerLevel),
            },
        };
    }

    /// <summary>
    /// A product led by an exact constant (p/q·F^k), as one fraction: its numerator parts and the factors with
    /// positive powers above the bar, its denominator parts and the reciprocal factors below, e.g. a*b/(4*pi*c^2).
    /// </summary>
    private (string Text, int Level) RenderFraction(ExactConstant exact, IReadOnlyList<SymbolicExpression> rest)
    {
        bool latex = _dialect == PrintDialect.Latex;
        var numerator = exact.NumeratorParts(latex).ToList();
        var denominator = exact.DenominatorParts(latex).ToList();
        foreach (var factor in rest)
        {
            if (factor is PowerExpression { Exponent: < 0 } reciprocal)
            {
                var below = RenderPower(reciprocal.Base, -reciprocal.Exponent);
                denominator.Add(latex ? below.Text : Wrap(below, ProductLevel));
            }
            else
            {
                numerator.Add(latex ? Render(factor).Text : Wrap(Render(factor), ProductLevel + 1));
            }
        }

        string sign = exact.IsNegative ? "-" : "";
        string top = numerator.Count == 0 ? "1" : string.Join(latex ? " " : "*", numerator);
        if (denominator.Count == 0)
        {
            return (sign + top, exact.IsNegative ? SumLevel : numerator.Count > 1 ? ProductLevel : AtomLevel);
        }

        if (latex)
        {
            return ($"{sign}\\frac{{{top}}}{{{string.Join(" ", denominator)}}}", exact.IsNegative ? SumLevel : AtomLevel);
        }

        string bottom = denominator.Count == 1 ? denominator[0] : "(" + string.Join("*", denominator) + ")";
        return ($"{sign}{top}/{bottom}", exact.IsNegative ? SumLevel : ProductLevel);
    }

    private (string Text, int Level) RenderProduct(IReadOnlyList<SymbolicExpression> factors)
    {
        if (_dialect != PrintDialect.CSharp && factors.Count > 1 && factors[0] is ConstantExpression { Exact: { } exact })
        {
            return RenderFraction(exact, factors.Skip(1).ToArray());
        }

        string prefix = string.Empty;
        int start = 0;
        if (factors.Count > 1 && factors[0] is ConstantExpression { Value: -1.0 })
        {
            prefix = "-";
            start = 1;
        }

        var text = new System.Text.StringBuilder(prefix);
        for (int k = start; k < factors.Count; k++)
        {
            // Text reads a·u^(−n) after the first factor as a division: a/b, 2/(a*b + 1) (left to right, as it evaluates).
            if (_dialect == PrintDialect.Text && k > start && factors[k] is PowerExpression { Exponent: < 0 } reciprocal)
            {
                var denominator = RenderPower(reciprocal.Base, -reciprocal.Exponent);
                text.Append('/').Append(Wrap(denominator, ProductLevel + 1));
                continue;
            }

            var rendered = Render(factors[k]);
            // A division ("1/x") keeps its own parentheses after the first factor so it is not read as (a*1)/x.
            // A leading negative constant needs no parentheses; the whole product then reads as a negation.
            bool leadingNegative = k == 0 && factors[0] is ConstantExpression;
            string part = leadingNegative ? rendered.Text : Wrap(rendered, k == start ? ProductLevel : ProductLevel + 1);
            if (k > start)
            {
                text.Append(_dialect switch
                {
                    PrintDialect.CSharp => " * ",
                    PrintDialect.Latex => char.IsAsciiDigit(part[0]) || part[0] == '-' ? " \\cdot " : " ",
                    _ => "*",
                });
            }

            text.Append(part);
        }

        string result = text.ToString();
        return (result, result.StartsWith('-') ? SumLevel : ProductLevel);
    }

    private string RenderSum(IReadOnlyList<SymbolicExpression> terms)
    {
        var text = new System.Text.StringBuilder(Render(terms[0]).Text);
        for (int k = 1; k < terms.Count; k++)
        {
            var negated = Negate(terms[k]);
            if (negated is not null)
            {
                text.Append(" - ").Append(Wrap(Render(negated), ProductLevel));
            }
            else
            {
                text.Append(" + ").Append(Wrap(Render(terms[k]), ProductLevel));
            }
        }

        return text.ToString();
    }

    // −term when the term visibly starts with a minus (a negative constant or coefficient), else null.
    private static SymbolicExpression? Negate(SymbolicExpression term) => term switch
    {
        ConstantExpression { Exact: { IsNegative: true } exact } => SymbolicExpression.Constant(exact with { Numerator = -exact.Numerator }),
        ProductExpression { Factors: [ConstantExpression { Exact: { IsNegative: true } exact }, ..] } product =>
            SymbolicExpression.Multiply([SymbolicExpression.Constant(exact with { Numerator = -exact.Numerator }), .. product.Factors.Skip(1)]),
        ConstantExpression constant when constant.Value < 0 => SymbolicExpression.Constant(-constant.Value),
        ProductExpression product when product.Factors[0] is ConstantExpression coefficient && coefficient.Value < 0 =>
            coefficient.Value == -1.0
                ? SymbolicExpression.Multiply(product.Factors.Skip(1))
                : SymbolicExpression.Multiply([SymbolicExpression.Constant(-coefficient.Value), .. product.Factors.Skip(1)]),
        _ => null,
    };
}
