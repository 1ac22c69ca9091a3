namespace KanCompile.Symbolic.Expressions;

/// <summary>An irrational factor a simple constant may carry: π, e, √2, √3, √π, √(2π).</summary>
internal enum NamedFactor
{
    None,
    Pi,
    E,
    Sqrt2,
    Sqrt3,
    SqrtPi,
    Sqrt2Pi,
}

/// <summary>
/// A constant as a person writes it: p/q · F^k with small integers p, q, a named factor F (π, e, √2, …) and k = ±1,
/// e.g. 1/(4π) or 1/√(2π). Formulas carry it beside the double so they print "a*b/(4*pi*c^2)" instead of
/// "0.0795774715459477*a*b/c^2"; the value computed is always the double.
/// </summary>
internal sealed record ExactConstant(long Numerator, long Denominator, NamedFactor Factor, int FactorPower)
{
    public double Value => Numerator / (double)Denominator * Math.Pow(FactorValue(Factor), Factor == NamedFactor.None ? 0 : FactorPower);

    public static double FactorValue(NamedFactor factor) => factor switch
    {
        NamedFactor.Pi => Math.PI,
        NamedFactor.E => Math.E,
        NamedFactor.Sqrt2 => Math.Sqrt(2.0),
        NamedFactor.Sqrt3 => Math.Sqrt(3.0),
        NamedFactor.SqrtPi => Math.Sqrt(Math.PI),
        NamedFactor.Sqrt2Pi => Math.Sqrt(2.0 * Math.PI),
        _ => 1.0,
    };

    /// <summary>How the factor reads in text or LaTeX.</summary>
    public static string FactorText(NamedFactor factor, bool latex) => (factor, latex) switch
    {
        (NamedFactor.Pi, false) => "pi",
        (NamedFactor.Pi, true) => "\\pi",
        (NamedFactor.E, _) => "e",
        (NamedFactor.Sqrt2, false) => "sqrt(2)",
        (NamedFactor.Sqrt2, true) => "\\sqrt{2}",
        (NamedFactor.Sqrt3, false) => "sqrt(3)",
        (NamedFactor.Sqrt3, true) => "\\sqrt{3}",
        (NamedFactor.SqrtPi, false) => "sqrt(pi)",
        (NamedFactor.SqrtPi, true) => "\\sqrt{\\pi}",
        (NamedFactor.Sqrt2Pi, false) => "sqrt(2*pi)",
        (NamedFactor.Sqrt2Pi, true) => "\\sqrt{2 \\pi}",
        _ => "",
    };

    /// <summary>The factors above the fraction bar (without the sign), e.g. ["3", "pi"]; empty for 1.</summary>
    public IReadOnlyList<string> NumeratorParts(bool latex)
    {
        var parts = new List<string>();
        if (Math.Abs(Numerator) != 1)
        {
            parts.Add(Math.Abs(Numerator).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (Factor != NamedFactor.None && FactorPower > 0)
        {
            parts.Add(FactorText(Factor, latex));
        }

        return parts;
    }

    /// <summary>The factors below the fraction bar, e.g. ["4", "pi"]; empty when there is no denominator.</summary>
    public IReadOnlyList<string> DenominatorParts(bool latex)
    {
        var parts = new List<string>();
        if (Denominator != 1)
        {
            parts.Add(Denominator.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (Factor != NamedFactor.None && FactorPower < 0)
        {
            parts.Add(FactorText(Factor, latex));
        }

        return parts;
    }

    public bool IsNegative => Numerator < 0;

    /// <summary>
    /// How many symbols the constant takes to write (what "simplest" means when several are close to a value):
    /// the digits of p and q, plus 2 for a named factor.
    /// </summary>
    public int Complexity =>
        Math.Abs(Numerator).ToString(System.Globalization.CultureInfo.InvariantCulture).Length
        + (Denominator == 1 ? 0 : Denominator.ToString(System.Globalization.CultureInfo.InvariantCulture).Length + 1)
        + (Factor == NamedFactor.None ? 0 : 2);

    /// <summary>
    /// The simplest exact constant within <paramref name="relativeTolerance"/> of <paramref name="value"/>: p/q with
    /// q ≤ 12 and |p| ≤ 1000, times 1, π, e, √2, √3, √π or √(2π) or over one of them; null when none is that close.
    /// </summary>
    public static ExactConstant? Nearest(double value, double relativeTolerance)
    {
        if (!double.IsFinite(value) || value == 0.0)
        {
            return null;
        }

        ExactConstant? best = null;
        foreach (NamedFactor factor in Enum.GetValues(typeof(NamedFactor)))
        {
            foreach (int power in factor == NamedFactor.None ? new[] { 1 } : new[] { 1, -1 })
            {
                double scaled = value / Math.Pow(FactorValue(factor), factor == NamedFactor.None ? 0 : power);
                for (long q = 1; q <= 12; q++)
                {
                    double p = Math.Round(scaled * q);
                    if (p == 0 || Math.Abs(p) > 1000 || Gcd((long)Math.Abs(p), q) != 1)
                    {
                        continue;
                    }

                    var candidate = new ExactConstant((long)p, q, factor, power);
                    if (Math.Abs(candidate.Value - value) <= relativeTolerance * Math.Abs(value)
                        && (best is null || candidate.Complexity < best.Complexity))
                    {
                        best = candidate;
                    }
                }
            }
        }

        return best;
    }

    private static long Gcd(long a, long b) => b == 0 ? a : Gcd(b, a % b);
}
