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

    /// <summary>The vectorised form of built-in <paramref name="id"/>; null where the fit evaluates the scalar f.</summary>
    private static SpanFunction? SpanOf(int id) => id switch
    {
        Ids.X => (s, d) => s.CopyTo(d),
        Ids.Square => (s, d) => TensorPrimitives.Multiply(s, s, d),
        Ids.Cube => PowerSpan(3),
        Ids.FourthPower => PowerSpan(4),
        Ids.FifthPower => PowerSpan(5),
        Ids.Reciprocal => PowerSpan(-1),
        Ids.ReciprocalSquare => PowerSpan(-2),
        Ids.ReciprocalCube => PowerSpan(-3),
        Ids.ReciprocalFourth => PowerSpan(-4),
        Ids.ReciprocalFifth => PowerSpan(-5),
        Ids.Sqrt or Ids.HalfPower => (s, d) => TensorPrimitives.Sqrt(s, d),
        Ids.OneAndAHalfPower => PowerSpan(1.5),
        Ids.ReciprocalSqrt or Ids.ReciprocalHalfPower => PowerSpan(-0.5),
        Ids.Exp => Elementwise(Math.Exp),
        Ids.Log => LogSpan,
        Ids.Abs => (s, d) => TensorPrimitives.Abs(s, d),
        Ids.Sin => SinSpan,
        Ids.Cos => CosSpan,
        Ids.Tan => Elementwise(Math.Tan),
        Ids.Tanh => Elementwise(Math.Tanh),
        Ids.Arctan => Elementwise(Math.Atan),
        Ids.Zero => (_, d) => d.Clear(),
        _ => null,
    };

    private static Dictionary<SymbolicFunction, SpanFunction> CreateSpans()
    {
        var spans = new Dictionary<SymbolicFunction, SpanFunction>(ReferenceEqualityComparer.Instance);
        for (int id = 0; id < Ids.Count; id++)
        {
            if (SpanOf(id) is { } span)
            {
                spans[All[id]] = span;
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
