using System.Runtime.CompilerServices;

namespace KanCompile.Compilation;

/// <summary>
/// The emitted kernel's branches for hosts where <see cref="System.Runtime.Intrinsics.Vector256"/> is not hardware-accelerated
/// (ARM64, x64 without AVX2, or a runtime told not to use it): each is taken under the condition the emitted code tests, so
/// the stand-in computes what the compiled kernel computes on that host. The emitted fallbacks repeat the vector path's
/// operations lane by lane (the same fused multiply-adds, sums paired as Vector256.Sum pairs them); these repeat the
/// fallbacks, for every spline order (k + 1 window slots in four or eight) and for <see cref="KanCompile.Generators.Model.KernelBeyondGrid.Smooth"/>'s
/// continued windows. Out of line from the vector paths so that on an accelerated host they are never imported.
/// </summary>
internal sealed partial class RuntimeShapedKernel<TOrder>
{
    /// <summary>
    /// EdgeWidthEmitter's Backprop without vectors, width ≥ 4 (WriteBackpropScalar with matchVectors): fused multiply-adds
    /// per output over the window's k + 1 slots, and dL/dx in four lane accumulators, output j in the lane its vector gives
    /// it, summed as Vector256.Sum.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static double BackpropLanes(int width, ref double g, ref double sb, ref double rows, ref double gsb, ref double grows, double bx, double dbx, ref double window, ref double slopes, bool inputGradient, bool regularized, ref double weight, ref double mean)
    {
        double gx0 = 0.0, gx1 = 0.0, gx2 = 0.0, gx3 = 0.0;
        nuint whole = (nuint)(width / 4 * 4), overlap = (nuint)(width - 4);
        for (nuint j = 0; j < (nuint)width; j++)
        {
            double upstream = Unsafe.Add(ref g, j);
            double scaleBase = Unsafe.Add(ref sb, j);
            if (regularized)
            {
                upstream += Unsafe.Add(ref weight, j) * (RowSum(bx * scaleBase, ref window, ref rows, j, width) - Unsafe.Add(ref mean, j));
            }

            if (inputGradient)
            {
                double slope = dbx * scaleBase;
                for (int r = 0; r <= Order; r++)
                {
                    slope = Math.FusedMultiplyAdd(Unsafe.Add(ref slopes, r), Unsafe.Add(ref rows, j + (nuint)(r * width)), slope);
                }

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
            for (int r = 0; r <= Order; r++)
            {
                ref double element = ref Unsafe.Add(ref grows, j + (nuint)(r * width));
                element = Math.FusedMultiplyAdd(Unsafe.Add(ref window, r), upstream, element);
            }
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

    /// <summary>
    /// WriteWindowSlots' scalar form (WindowWithDerivative without vectors), slot by slot: the value's degree-k Horner from
    /// row k down, the slope's degree k − 1 with row p + 1 scaled by p + 1, and with <paramref name="continues"/> the value
    /// continued along its slope (value + beyond·slope, fused). At k = 0 there is no slope polynomial: the slopes are 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void HornerLanes(ref double p, double u, ref double values, ref double slopes, bool continues, double beyond)
    {
        for (int r = 0; r < Slots; r++)
        {
            double value = Unsafe.Add(ref p, Order * Slots + r);
            for (int power = Order - 1; power >= 0; power--)
            {
                value = Math.FusedMultiplyAdd(value, u, Unsafe.Add(ref p, power * Slots + r));
            }

            if (Order == 0)
            {
                Unsafe.Add(ref values, r) = value;
                Unsafe.Add(ref slopes, r) = 0.0;
                continue;
            }

            double slope = Order == 1 ? Unsafe.Add(ref p, Slots + r) : (double)Order * Unsafe.Add(ref p, Order * Slots + r);
            for (int power = Order - 2; power >= 0; power--)
            {
                double row = Unsafe.Add(ref p, (power + 1) * Slots + r);
                slope = Math.FusedMultiplyAdd(slope, u, power == 0 ? row : (double)(power + 1) * row);
            }

            Unsafe.Add(ref values, r) = continues ? Math.FusedMultiplyAdd(slope, beyond, value) : value;
            Unsafe.Add(ref slopes, r) = slope;
        }
    }
}
