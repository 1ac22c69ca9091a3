using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using KanCompile.Generators.Emit;

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
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private int WideBasis(double x, ref double row, int mu, ref double window, bool withDerivative)
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
        WideShift(start, ref n);
        if (withDerivative)
        {
            ref double e = ref Unsafe.Add(ref window, Order + 1);
            int d = KernelLayout.DerivativeReciprocal(Order, 1);
            double next = Order * (kept[0] * Unsafe.Add(ref inv, d));
            e = 0.0 - next;
            for (int r = 1; r <= Order; r++)
            {
                double current = next;
                next = r == Order ? 0.0 : Order * (kept[r] * Unsafe.Add(ref inv, d + r));
                Unsafe.Add(ref e, r) = current - next;
            }

            WideShift(start, ref e);
        }

        return Math.Clamp(start, 0, _g - 1);
    }

    /// <summary>
    /// BasisJet's triangle for k ≥ 4 into window[level·(k+1) + r] (levels: values, then the first three derivatives): at level
    /// j the derivatives up to min(j, 3) are written, from the products' derivatives up to min(j − 1, 3); then the shift.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private int WideBasisJet(double x, ref double row, int mu, ref double window)
    {
        ref double t = ref Unsafe.Add(ref row, _phantom + mu);
        ref double inv = ref Unsafe.Add(ref row, _padded + mu * _layout.ReciprocalsPerInterval);
        int stride = Order + 1;
        MemoryMarshal.CreateSpan(ref window, 4 * stride).Clear();
        window = 1.0;
        Span<double> saves = stackalloc double[4];
        Span<double> temps = stackalloc double[4];
        for (int j = 1; j <= Order; j++)
        {
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
