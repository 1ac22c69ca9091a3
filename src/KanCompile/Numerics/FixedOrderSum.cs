using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace KanCompile.Numerics;

/// <summary>
/// Sums and dot products in one fixed order on every host: the order of <c>TensorPrimitives</c>' 4-lane (AVX2) path,
/// computed with <see cref="Vector256{T}"/> arithmetic whatever the hardware offers. TensorPrimitives itself picks 8
/// lanes on AVX-512 hosts and scalar code without AVX2, so its sums differ in the last bits between machines; these do
/// not, and on AVX2 hosts they are exactly what TensorPrimitives returned before (which pykan-parity fixtures rely on).
/// </summary>
internal static class FixedOrderSum
{
    private const int Lanes = 4;

    /// <summary>Σ values.</summary>
    public static double Sum(ReadOnlySpan<double> values) => Aggregate<Identity>(values, values);

    /// <summary>Σ values².</summary>
    public static double SumOfSquares(ReadOnlySpan<double> values) => Aggregate<Product>(values, values);

    /// <summary>Σ |values|.</summary>
    public static double SumOfMagnitudes(ReadOnlySpan<double> values) => Aggregate<Magnitude>(values, values);

    /// <summary>Σ x·y (products rounded, then summed: no fused multiply-add).</summary>
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"Dot needs spans of one length; got {x.Length} and {y.Length}.", nameof(y));
        }

        return Aggregate<Product>(x, y);
    }

    private static double Aggregate<TTerm>(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
        where TTerm : struct, ITerm
    {
        int n = x.Length;
        if (n < Lanes)
        {
            return n switch
            {
                0 => 0.0,
                1 => TTerm.Invoke(x[0], y[0]),
                2 => TTerm.Invoke(x[0], y[0]) + TTerm.Invoke(x[1], y[1]),
                _ => TTerm.Invoke(x[0], y[0]) + (TTerm.Invoke(x[1], y[1]) + TTerm.Invoke(x[2], y[2])),
            };
        }

        Vector256<double> total = Vector256<double>.Zero;
        Vector256<double> first = Block<TTerm>(x, y, 0);
        Vector256<double> last = Block<TTerm>(x, y, n - Lanes);
        int start = 0, remainder = n;
        bool skippedFirst = false;
        if (remainder > Lanes * 8)
        {
            // The first block is added apart (below); whole runs of 8 blocks follow it.
            skippedFirst = true;
            start = Lanes;
            remainder -= Lanes;
            while (remainder >= Lanes * 8)
            {
                for (int k = 0; k < 8; k++)
                {
                    total += Block<TTerm>(x, y, start + k * Lanes);
                }

                start += Lanes * 8;
                remainder -= Lanes * 8;
            }
        }

        total += first;
        int blocks = remainder / Lanes, trailing = remainder % Lanes;
        if (!skippedFirst)
        {
            blocks--;
        }

        remainder -= trailing;
        for (int k = blocks; k >= 1; k--)
        {
            total += Block<TTerm>(x, y, start + remainder - k * Lanes);
        }

        // The last block overlaps the ones before; only its trailing values count.
        if (trailing > 0)
        {
            total += Vector256.ConditionalSelect(TrailingMask(trailing), last, Vector256<double>.Zero);
        }

        return (total.GetElement(0) + total.GetElement(1)) + (total.GetElement(2) + total.GetElement(3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Block<TTerm>(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int at)
        where TTerm : struct, ITerm =>
        Vector256.Create(TTerm.Invoke(x[at], y[at]), TTerm.Invoke(x[at + 1], y[at + 1]), TTerm.Invoke(x[at + 2], y[at + 2]), TTerm.Invoke(x[at + 3], y[at + 3]));

    private static Vector256<double> TrailingMask(int trailing) =>
        Vector256.Create(trailing >= 4 ? -1L : 0L, trailing >= 3 ? -1L : 0L, trailing >= 2 ? -1L : 0L, -1L).AsDouble();

    private interface ITerm
    {
        static abstract double Invoke(double x, double y);
    }

    private readonly struct Identity : ITerm
    {
        public static double Invoke(double x, double y) => x;
    }

    private readonly struct Product : ITerm
    {
        public static double Invoke(double x, double y) => x * y;
    }

    private readonly struct Magnitude : ITerm
    {
        public static double Invoke(double x, double y) => Math.Abs(x);
    }
}
