using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace KanCompile.Symbolic;

/// <summary>
/// The vectorised forms of the built-in entries, used by the fit grid search (the same values as the scalar f).
/// Runtime only: the [KanFormula] generator shares the entries but never fits.
/// </summary>
internal static partial class BuiltInSymbolicFunctions
{
    /// <summary>Vectorised f over a span (the same values as the scalar f).</summary>
    internal delegate void SpanFunction(ReadOnlySpan<double> source, Span<double> destination);

    // Which forms to use was decided against the golden fixtures: torch evaluates with SLEEF (≤ 1 ulp), and the
    // near-tied argmax of fit_params follows those last bits. Math.Sin/Cos/Log (scalar) land on pykan's cells for sin
    // and log where TensorPrimitives' versions do not. Transcendentals are the scalar Math functions, never
    // TensorPrimitives': those switch between 8-lane, 4-lane and scalar code by hardware and differ in the last bits
    // between hosts. Only operations that are exact per element (multiply, sqrt, abs) and fixed 4-lane power code are vectorised.
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
            ["exp"] = Elementwise(Math.Exp),
            ["log"] = LogSpan,
            ["abs"] = (s, d) => TensorPrimitives.Abs(s, d),
            ["sin"] = SinSpan,
            ["cos"] = CosSpan,
            ["tan"] = Elementwise(Math.Tan),
            ["tanh"] = Elementwise(Math.Tanh),
            ["arctan"] = Elementwise(Math.Atan),
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

    // In place (s and d are the same buffer in the fit), so each vector is read before it is written. Exponents
    // whose scalar Power is plain arithmetic run 4 lanes at a time with the same operations in the same order (so
    // the same bits); the others (Math.Pow) stay scalar.
    private static SpanFunction PowerSpan(double exponent) => exponent switch
    {
        3 => Map<Cube>,
        4 => Map<FourthPower>,
        5 => Map<FifthPower>,
        1.5 => Map<PowerOneAndAHalf>,
        -1 => Map<Reciprocal>,
        -0.5 => Map<ReciprocalSquareRoot>,
        _ => (s, d) =>
        {
            for (int k = 0; k < s.Length; k++)
            {
                d[k] = Power(s[k], exponent);
            }
        },
    };

    private static void Map<TPower>(ReadOnlySpan<double> source, Span<double> destination)
        where TPower : IVectorPower
    {
        int k = 0;
        for (; k <= source.Length - Vector256<double>.Count; k += Vector256<double>.Count)
        {
            TPower.Invoke(Vector256.Create(source.Slice(k))).CopyTo(destination.Slice(k));
        }

        for (; k < source.Length; k++)
        {
            destination[k] = Power(source[k], TPower.Exponent);
        }
    }

    private interface IVectorPower
    {
        static abstract double Exponent { get; }

        static abstract Vector256<double> Invoke(Vector256<double> x);
    }

    // Each mirrors its case of Power (and PowerExpression.Raise) operation for operation.
    private readonly struct Cube : IVectorPower
    {
        public static double Exponent => 3;

        public static Vector256<double> Invoke(Vector256<double> x) => x * x * x;
    }

    private readonly struct FourthPower : IVectorPower
    {
        public static double Exponent => 4;

        public static Vector256<double> Invoke(Vector256<double> x) => x * x * x * x;
    }

    private readonly struct FifthPower : IVectorPower
    {
        public static double Exponent => 5;

        public static Vector256<double> Invoke(Vector256<double> x) => x * x * x * x * x;
    }

    private readonly struct PowerOneAndAHalf : IVectorPower
    {
        public static double Exponent => 1.5;

        public static Vector256<double> Invoke(Vector256<double> x) => Vector256.Sqrt(x) * Vector256.Sqrt(x) * Vector256.Sqrt(x);
    }

    private readonly struct Reciprocal : IVectorPower
    {
        public static double Exponent => -1;

        public static Vector256<double> Invoke(Vector256<double> x) => Vector256<double>.One / x;
    }

    private readonly struct ReciprocalSquareRoot : IVectorPower
    {
        public static double Exponent => -0.5;

        public static Vector256<double> Invoke(Vector256<double> x) => Vector256<double>.One / Vector256.Sqrt(x);
    }

    /// <summary>A scalar function element by element.</summary>
    private static SpanFunction Elementwise(Func<double, double> function) => (source, destination) =>
    {
        for (int k = 0; k < source.Length; k++)
        {
            destination[k] = function(source[k]);
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

    // Math.Log's NaN for a negative argument goes through the C library's error path (errno, FP exception) at a
    // cost of its own; the fit only ever turns NaN into r² = 0 or z = 0, so any NaN will do.
    private static void LogSpan(ReadOnlySpan<double> source, Span<double> destination)
    {
        for (int k = 0; k < source.Length; k++)
        {
            double value = source[k];
            destination[k] = value < 0.0 ? double.NaN : Math.Log(value);
        }
    }
}
