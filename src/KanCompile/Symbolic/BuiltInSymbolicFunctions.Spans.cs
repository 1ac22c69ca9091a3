using System.Numerics.Tensors;

namespace KanCompile.Symbolic;

/// <summary>
/// The vectorised forms of the built-in entries, used by the fit grid search (the same values as the scalar f).
/// Runtime only: the [KanFormula] generator shares the entries but never fits.
/// </summary>
internal static partial class BuiltInSymbolicFunctions
{
    /// <summary>Vectorised f over a span (the same values as the scalar f).</summary>
    internal delegate void SpanFunction(ReadOnlySpan<double> source, Span<double> destination);

    // Which vectorised forms to use was decided against the golden fixtures: torch evaluates with SLEEF (≤ 1 ulp), and
    // the near-tied argmax of fit_params follows those last bits. Math.Sin/Cos/Log (scalar) land on pykan's cells for
    // sin and log where TensorPrimitives' versions do not; TensorPrimitives.Exp/Tanh do as well as Math's.
    /// <summary>The vectorised form of a built-in entry, or null for user entries.</summary>
    public static SpanFunction? GetSpanFunction(SymbolicFunction function) =>
        SpanTable.Functions.TryGetValue(function, out var span) ? span : null;

    private static Dictionary<SymbolicFunction, SpanFunction> CreateSpans()
    {
        var byName = new Dictionary<string, SpanFunction>(StringComparer.Ordinal)
        {
            ["x"] = (s, d) => s.CopyTo(d),
            ["x^2"] = (s, d) => TensorPrimitives.Multiply(s, s, d),
            ["x^3"] = PowerSpan(3),
            ["x^4"] = PowerSpan(4),
            ["x^5"] = PowerSpan(5),
            ["1/x"] = PowerSpan(-1),
            ["1/x^2"] = PowerSpan(-2),
            ["1/x^3"] = PowerSpan(-3),
            ["1/x^4"] = PowerSpan(-4),
            ["1/x^5"] = PowerSpan(-5),
            ["sqrt"] = (s, d) => TensorPrimitives.Sqrt(s, d),
            ["x^0.5"] = (s, d) => TensorPrimitives.Sqrt(s, d),
            ["x^1.5"] = PowerSpan(1.5),
            ["1/sqrt(x)"] = PowerSpan(-0.5),
            ["1/x^0.5"] = PowerSpan(-0.5),
            ["exp"] = (s, d) => TensorPrimitives.Exp(s, d),
            ["log"] = LogSpan,
            ["abs"] = (s, d) => TensorPrimitives.Abs(s, d),
            ["sin"] = SinSpan,
            ["cos"] = CosSpan,
            ["tan"] = (s, d) => TensorPrimitives.Tan(s, d),
            ["tanh"] = (s, d) => TensorPrimitives.Tanh(s, d),
            ["arctan"] = (s, d) => TensorPrimitives.Atan(s, d),
            ["0"] = (_, d) => d.Clear(),
        };
        var spans = new Dictionary<SymbolicFunction, SpanFunction>(ReferenceEqualityComparer.Instance);
        foreach (var entry in All)
        {
            if (byName.TryGetValue(entry.Name, out var span))
            {
                spans[entry] = span;
            }
        }

        return spans;
    }

    // A holder class, so the table is built on first use, after All (declared in another file of this partial class).
    private static class SpanTable
    {
        public static readonly Dictionary<SymbolicFunction, SpanFunction> Functions = CreateSpans();
    }

    // In place (s and d are the same buffer in the fit), so the loop reads each value before writing it.
    private static SpanFunction PowerSpan(double exponent) => (s, d) =>
    {
        for (int k = 0; k < s.Length; k++)
        {
            d[k] = Power(s[k], exponent);
        }
    };

    // Element by element with the scalar Math functions (see the note on SpanFunctions), without a delegate call per value.
    private static void SinSpan(ReadOnlySpan<double> source, Span<double> destination)
    {
        for (int k = 0; k < source.Length; k++)
        {
            destination[k] = Math.Sin(source[k]);
        }
    }

    private static void CosSpan(ReadOnlySpan<double> source, Span<double> destination)
    {
        for (int k = 0; k < source.Length; k++)
        {
            destination[k] = Math.Cos(source[k]);
        }
    }

    private static void LogSpan(ReadOnlySpan<double> source, Span<double> destination)
    {
        for (int k = 0; k < source.Length; k++)
        {
            destination[k] = Math.Log(source[k]);
        }
    }
}
