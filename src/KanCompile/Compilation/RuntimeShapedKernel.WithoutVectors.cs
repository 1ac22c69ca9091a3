using System.Runtime.CompilerServices;

namespace KanCompile.Compilation;

/// <summary>
/// The emitted kernel's branches for hosts where <see cref="System.Runtime.Intrinsics.Vector256"/> is not hardware-accelerated
/// (ARM64, x64 without AVX2, or a runtime told not to use it): each is taken under the condition the emitted code tests, so
/// the stand-in computes what the compiled kernel computes on that host. The emitted fallbacks repeat the vector path's
/// operations lane by lane (the same fused multiply-adds, sums paired as Vector256.Sum pairs them); these repeat the
/// fallbacks. Out of line from the vector paths so that on an accelerated host they are never imported.
/// </summary>
internal sealed partial class RuntimeShapedKernel<TOrder>
{
    /// <summary>
    /// EdgeWidthEmitter's Backprop without vectors, width ≥ 4 (WriteBackpropScalar with matchVectors): fused multiply-adds
    /// per output, and dL/dx in four lane accumulators, output j in the lane its vector gives it, summed as Vector256.Sum.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static double BackpropLanes(int width, ref double g, ref double sb, ref double rows, ref double gsb, ref double grows, double bx, double dbx, ref double window, ref double slopes, bool inputGradient, bool regularized, ref double weight, ref double mean)
    {
        double w0 = window, w1 = Unsafe.Add(ref window, 1), w2 = Unsafe.Add(ref window, 2), w3 = Unsafe.Add(ref window, 3);
        double gx0 = 0.0, gx1 = 0.0, gx2 = 0.0, gx3 = 0.0;
        nuint whole = (nuint)(width / 4 * 4), overlap = (nuint)(width - 4);
        for (nuint j = 0; j < (nuint)width; j++)
        {
            nuint r1 = j + (nuint)width, r2 = j + (nuint)(2 * width), r3 = j + (nuint)(3 * width);
            double upstream = Unsafe.Add(ref g, j);
            double scaleBase = Unsafe.Add(ref sb, j);
            if (regularized)
            {
                upstream += Unsafe.Add(ref weight, j) * (bx * scaleBase + w0 * Unsafe.Add(ref rows, j) + w1 * Unsafe.Add(ref rows, r1) + w2 * Unsafe.Add(ref rows, r2) + w3 * Unsafe.Add(ref rows, r3) - Unsafe.Add(ref mean, j));
            }

            if (inputGradient)
            {
                double slope = dbx * scaleBase;
                slope = Math.FusedMultiplyAdd(slopes, Unsafe.Add(ref rows, j), slope);
                slope = Math.FusedMultiplyAdd(Unsafe.Add(ref slopes, 1), Unsafe.Add(ref rows, r1), slope);
                slope = Math.FusedMultiplyAdd(Unsafe.Add(ref slopes, 2), Unsafe.Add(ref rows, r2), slope);
                slope = Math.FusedMultiplyAdd(Unsafe.Add(ref slopes, 3), Unsafe.Add(ref rows, r3), slope);
                nuint lane = j < whole ? j & 3 : j - overlap;
                if (lane == 0)
                {
                    gx0 = Math.FusedMultiplyAdd(upstream, slope, gx0);
                }
                else if (lane == 1)
                {
                    gx1 = Math.FusedMultiplyAdd(upstream, slope, gx1);
                }
                else if (lane == 2)
                {
                    gx2 = Math.FusedMultiplyAdd(upstream, slope, gx2);
                }
                else
                {
                    gx3 = Math.FusedMultiplyAdd(upstream, slope, gx3);
                }
            }

            Unsafe.Add(ref gsb, j) = Math.FusedMultiplyAdd(bx, upstream, Unsafe.Add(ref gsb, j));
            Unsafe.Add(ref grows, j) = Math.FusedMultiplyAdd(w0, upstream, Unsafe.Add(ref grows, j));
            Unsafe.Add(ref grows, r1) = Math.FusedMultiplyAdd(w1, upstream, Unsafe.Add(ref grows, r1));
            Unsafe.Add(ref grows, r2) = Math.FusedMultiplyAdd(w2, upstream, Unsafe.Add(ref grows, r2));
            Unsafe.Add(ref grows, r3) = Math.FusedMultiplyAdd(w3, upstream, Unsafe.Add(ref grows, r3));
        }

        return (gx0 + gx1) + (gx2 + gx3);
    }

    /// <summary>SingleOutputEmitter's AccumulateSingle without vectors: one accumulator per window slot, summed as Vector256.Sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private void AccumulateSingleLanes(ref double y, ref double sb, ref double rows, ref double bx, ref double windows, ref int starts, int count)
    {
        double linear = y;
        double spline0 = 0.0, spline1 = 0.0, spline2 = 0.0, spline3 = 0.0;
        for (nint i = 0; i < count; i++)
        {
            linear = Math.FusedMultiplyAdd(Unsafe.Add(ref bx, i), Unsafe.Add(ref sb, i), linear);
            ref double row = ref Unsafe.Add(ref rows, i * _c + Unsafe.Add(ref starts, i));
            ref double window = ref Unsafe.Add(ref windows, i * Slots);
            spline0 = Math.FusedMultiplyAdd(window, row, spline0);
            spline1 = Math.FusedMultiplyAdd(Unsafe.Add(ref window, 1), Unsafe.Add(ref row, 1), spline1);
            spline2 = Math.FusedMultiplyAdd(Unsafe.Add(ref window, 2), Unsafe.Add(ref row, 2), spline2);
            spline3 = Math.FusedMultiplyAdd(Unsafe.Add(ref window, 3), Unsafe.Add(ref row, 3), spline3);
        }

        y = linear + ((spline0 + spline1) + (spline2 + spline3));
    }

    /// <summary>
    /// One input of SingleOutputEmitter's BackpropSingle without vectors: the upstream gradient (with the statistic term), the
    /// edge's dL/dF rows and dL/dx (<paramref name="gx"/>), slot by slot with the vector path's pairing. Returns the upstream gradient.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static double BackpropSingleLanes(ref double row, ref double grow, ref double window, ref double slopeWindow, double bx, double dbx, double scaleBase, double upstream, bool inputGradient, bool regularized, ref double weight, ref double mean, out double gx)
    {
        if (regularized)
        {
            double phi = Math.FusedMultiplyAdd(bx, scaleBase, LaneSum(ref window, ref row));
            upstream += weight * (phi - mean);
        }

        grow = Math.FusedMultiplyAdd(window, upstream, grow);
        Unsafe.Add(ref grow, 1) = Math.FusedMultiplyAdd(Unsafe.Add(ref window, 1), upstream, Unsafe.Add(ref grow, 1));
        Unsafe.Add(ref grow, 2) = Math.FusedMultiplyAdd(Unsafe.Add(ref window, 2), upstream, Unsafe.Add(ref grow, 2));
        Unsafe.Add(ref grow, 3) = Math.FusedMultiplyAdd(Unsafe.Add(ref window, 3), upstream, Unsafe.Add(ref grow, 3));
        double slope = inputGradient ? Math.FusedMultiplyAdd(dbx, scaleBase, LaneSum(ref slopeWindow, ref row)) : 0.0;
        gx = upstream * slope;
        return upstream;
    }

    /// <summary>Vector256.Sum(a * b) over four slots, written out as the emitter writes it: (a0·b0 + a1·b1) + (a2·b2 + a3·b3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double LaneSum(ref double a, ref double b) =>
        (a * b + Unsafe.Add(ref a, 1) * Unsafe.Add(ref b, 1)) + (Unsafe.Add(ref a, 2) * Unsafe.Add(ref b, 2) + Unsafe.Add(ref a, 3) * Unsafe.Add(ref b, 3));

    /// <summary>WriteHorner's scalar form (WindowWithDerivative without vectors): each window slot and its slope from the interval's polynomial block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void HornerLanes(ref double p, double u, ref double values, ref double slopes)
    {
        for (int r = 0; r < Slots; r++)
        {
            double value = Unsafe.Add(ref p, 3 * Slots + r);
            value = Math.FusedMultiplyAdd(value, u, Unsafe.Add(ref p, 2 * Slots + r));
            value = Math.FusedMultiplyAdd(value, u, Unsafe.Add(ref p, Slots + r));
            value = Math.FusedMultiplyAdd(value, u, Unsafe.Add(ref p, r));
            Unsafe.Add(ref values, r) = value;
            double slope = 3.0 * Unsafe.Add(ref p, 3 * Slots + r);
            slope = Math.FusedMultiplyAdd(slope, u, 2.0 * Unsafe.Add(ref p, 2 * Slots + r));
            slope = Math.FusedMultiplyAdd(slope, u, Unsafe.Add(ref p, Slots + r));
            Unsafe.Add(ref slopes, r) = slope;
        }
    }
}
