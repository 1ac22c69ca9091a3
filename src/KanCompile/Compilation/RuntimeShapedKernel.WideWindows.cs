using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using KanCompile.Generators.Emit;
using KanCompile.Generators.Model;

namespace KanCompile.Compilation;

/// <summary>
/// The scalar windows for spline orders above 3 (eight-slot windows): BasisEmitter's and InputDerivativeEmitter's unrolled
/// steps as loops over memory, the same operations in the same order (the orders up to 3 keep them in registers,
/// RuntimeShapedKernel.SingleSample.cs and .InputDerivatives.cs).
/// </summary>
internal sealed partial class RuntimeShapedKernel<TOrder>
{
    /// <summary>
    /// Basis (and, with <paramref name="withDerivative"/>, BasisWithDerivative's slopes into window[k+1..2k+1]) on interval
    /// <paramref name="mu"/> for k ≥ 4: the Cox–de Boor triangle, WriteSlopes, then the padding-zone shift; returns start.
    /// With <see cref="KernelBeyondGrid.Smooth"/> (<paramref name="x"/> the nearest point of [t_k, t_{G+k}]) no shift: each
    /// value continues along its slope by <paramref name="beyond"/> (BasisEmitter.WriteContinued).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private int WideBasis(double x, ref double row, int mu, ref double window, bool withDerivative, double beyond = 0.0)
    {
        ref double t = ref Unsafe.Add(ref row, _phantom + mu);
        ref double inv = ref Unsafe.Add(ref row, _padded + mu * _layout.ReciprocalsPerInterval);
        Span<double> kept = stackalloc double[Order];
        ref double n = ref window;
        n = 1.0;
        for (int r = 1; r <= Order; r++)
        {
            Unsafe.Add(ref n, r) = 0.0;
        }

        for (int j = 1; j <= Order; j++)
        {
            if (j == Order)
            {
                // Order k - 1 kept for the derivative.
                MemoryMarshal.CreateReadOnlySpan(ref n, Order).CopyTo(kept);
            }

            double saved = 0.0;
            for (int r = 0; r < j; r++)
            {
                double temp = Unsafe.Add(ref n, r) * Unsafe.Add(ref inv, KernelLayout.TriangleReciprocal(j, r));
                Unsafe.Add(ref n, r) = saved + (Unsafe.Add(ref t, r + 1) - x) * temp;
                saved = (x - Unsafe.Add(ref t, 1 - j + r)) * temp;
            }

            Unsafe.Add(ref n, j) = saved;
        }

        int start = mu - Order;
        if (!withDerivative && !_continues)
        {
            WideShift(start, ref n);
            return Math.Clamp(start, 0, _g - 1);
        }

        // Basis alone keeps only the values: the continued slopes then go to the stack.
        Span<double> ownSlopes = stackalloc double[withDerivative ? 0 : Order + 1];
        ref double e = ref withDerivative ? ref Unsafe.Add(ref window, Order + 1) : ref MemoryMarshal.GetReference(ownSlopes);
        WideSlopes(ref inv, kept, ref e);
        if (_continues)
        {
            WideContinue(ref n, ref e, beyond);
            return start;
        }

        WideShift(start, ref n);
        WideShift(start, ref e);
        return Math.Clamp(start, 0, _g - 1);
    }

    /// <summary>
    /// BasisEmitter.WriteSlopes for k ≥ 4 into <paramref name="e"/>[0..k]: w_r = k·(p_{r−1}·inv_r) from the <paramref name="kept"/>
    /// order k − 1 values, e_r = w_r − w_{r+1} with w_0 = w_{k+1} = 0.0. Every k ≥ 4 window with a slope takes it (k ≤ 3: Slopes).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WideSlopes(ref double inv, ReadOnlySpan<double> kept, ref double e)
    {
        int d = KernelLayout.DerivativeReciprocal(Order, 1);
        double next = Order * (kept[0] * Unsafe.Add(ref inv, d));
        e = 0.0 - next;
        for (int r = 1; r <= Order; r++)
        {
            double current = next;
            next = r == Order ? 0.0 : Order * (kept[r] * Unsafe.Add(ref inv, d + r));
            Unsafe.Add(ref e, r) = current - next;
        }
    }

    /// <summary>The continued window's tangent for k ≥ 4: each value n_r becomes n_r + beyond·e_r (BasisEmitter.WriteContinued, BasisJet).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WideContinue(ref double n, ref double e, double beyond)
    {
        for (int r = 0; r <= Order; r++)
        {
            Unsafe.Add(ref n, r) += beyond * Unsafe.Add(ref e, r);
        }
    }

    /// <summary>
    /// BasisJet's triangle for k ≥ 4 into window[level·(k+1) + r] (levels: values, then the first three derivatives): at level
    /// j the derivatives up to min(j, 3) are written, from the products' derivatives up to min(j − 1, 3); then the shift, or
    /// with <see cref="KernelBeyondGrid.Smooth"/> (<paramref name="x"/> the nearest point of [t_k, t_{G+k}]) the values along
    /// the tangent by <paramref name="beyond"/> (Basis's slope) and, beyond the range, no curvature.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private int WideBasisJet(double x, ref double row, int mu, ref double window, double beyond)
    {
        ref double t = ref Unsafe.Add(ref row, _phantom + mu);
        ref double inv = ref Unsafe.Add(ref row, _padded + mu * _layout.ReciprocalsPerInterval);
        int stride = Order + 1;
        MemoryMarshal.CreateSpan(ref window, 4 * stride).Clear();
        window = 1.0;
        Span<double> saves = stackalloc double[4];
        Span<double> temps = stackalloc double[4];
        Span<double> kept = stackalloc double[Order];
        for (int j = 1; j <= Order; j++)
        {
            if (_continues && j == Order)
            {
                // The order k - 1 values: the tangent's slope comes from them as in Basis.
                MemoryMarshal.CreateReadOnlySpan(ref window, Order).CopyTo(kept);
            }

            int top = Math.Min(j, 3), known = Math.Min(j - 1, 3);
            saves.Clear();
            for (int r = 0; r < j; r++)
            {
                double inverse = Unsafe.Add(ref inv, KernelLayout.TriangleReciprocal(j, r));
                double right = Unsafe.Add(ref t, r + 1) - x, left = x - Unsafe.Add(ref t, 1 - j + r);
                for (int q = 0; q <= known; q++)
                {
                    temps[q] = Unsafe.Add(ref window, q * stride + r) * inverse;
                }

                for (int q = 0; q <= top; q++)
                {
                    double lower = q == 0 ? 0.0 : q == 1 ? temps[0] : q * temps[q - 1];
                    double value = q <= known ? saves[q] + right * temps[q] : saves[q];
                    Unsafe.Add(ref window, q * stride + r) = q == 0 ? value : value - lower;
                    saves[q] = q == 0 ? left * temps[0] : q <= known ? left * temps[q] + lower : lower;
                }
            }

            for (int q = 0; q <= top; q++)
            {
                Unsafe.Add(ref window, q * stride + j) = saves[q];
            }
        }

        int start = mu - Order;
        if (_continues)
        {
            Span<double> slopes = stackalloc double[stride];
            WideSlopes(ref inv, kept, ref MemoryMarshal.GetReference(slopes));
            WideContinue(ref window, ref MemoryMarshal.GetReference(slopes), beyond);
            if (beyond != 0.0)
            {
                MemoryMarshal.CreateSpan(ref Unsafe.Add(ref window, 2 * stride), 2 * stride).Clear();
            }

            return start;
        }

        for (int level = 0; level < 4; level++)
        {
            WideShift(start, ref Unsafe.Add(ref window, level * stride));
        }

        return Math.Clamp(start, 0, _g - 1);
    }

    /// <summary>WriteWindowClamp's shift of one k + 1 slot window in memory (the emitted slot moves, zero-filling).</summary>
    private void WideShift(int start, ref double w)
    {
        if (start < 0)
        {
            for (int r = 0; r <= Order; r++)
            {
                Unsafe.Add(ref w, r) = r - start <= Order ? Unsafe.Add(ref w, r - start) : 0.0;
            }
        }
        else if (start > _g - 1)
        {
            int d = start - (_g - 1);
            for (int r = Order; r >= 0; r--)
            {
                Unsafe.Add(ref w, r) = r - d >= 0 ? Unsafe.Add(ref w, r - d) : 0.0;
            }
        }
    }
}
