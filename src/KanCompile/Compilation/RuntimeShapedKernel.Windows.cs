using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using KanCompile.Generators.Emit;
using KanCompile.Generators.Model;

namespace KanCompile.Compilation;

/// <summary>Base values and basis windows for blocks of samples: the polynomial and lattice tables, both interval searches, the inline exp.</summary>
internal sealed partial class RuntimeShapedKernel<TOrder>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static Vector256<double> NegativeExp(Vector256<double> v)
    {
        Vector256<double> a = -v;
        Vector256<double> inRange = Vector256.LessThanOrEqual(Vector256.Abs(a), Vector256.Create(708.0));
        return Vector256.ExtractMostSignificantBits(inRange) == 0b1111 ? ExpPolynomial(a) : ExpBeyondRange(a, inRange);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static Vector256<double> ExpPolynomial(Vector256<double> a)
    {
        Vector256<double> n = Vector256.Round(a * Vector256.Create(1.4426950408889634));
        Vector256<double> r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-6.93147180369123816490e-01), a);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-1.90821492927058770002e-10), r);
        Vector256<double> p = Vector256.Create(1.0 / 479001600.0);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 39916800.0));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 3628800.0));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 362880.0));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 40320.0));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 5040.0));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 720.0));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 120.0));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 24.0));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 6.0));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 2.0));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 1.0));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 1.0));
        Vector256<long> shift = Vector256.ShiftLeft(Vector256.AsInt64(n + Vector256.Create(6755399441055744.0)), 52);
        return Vector256.AsDouble(Vector256.AsInt64(p) + shift);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static Vector256<double> ExpBeyondRange(Vector256<double> a, Vector256<double> inRange)
    {
        Vector256<double> scalar = Vector256.Create(Math.Exp(a.GetElement(0)), Math.Exp(a.GetElement(1)), Math.Exp(a.GetElement(2)), Math.Exp(a.GetElement(3)));
        return Vector256.ConditionalSelect(inRange, ExpPolynomial(Vector256.ConditionalSelect(inRange, a, Vector256<double>.Zero)), scalar);
    }

    /// <summary>The calling thread's polynomial and lattice tables for these knots (BatchKernelEmitter's Polynomials).</summary>
    private double[] Polynomials(ReadOnlySpan<double> knots, Buffers buffers)
    {
        double[] polynomials = buffers.Polynomials;
        double[] built = buffers.PolynomialKnots;
        bool same = buffers.PolynomialsValid;
        for (int n = 0; same && n < _inner; n++)
        {
            same = knots.Slice(n * _row, _padded).SequenceEqual(new ReadOnlySpan<double>(built, n * _padded, _padded));
        }

        if (same)
        {
            return polynomials;
        }

        ref double kt = ref MemoryMarshal.GetReference(knots);
        ref double pt = ref MemoryMarshal.GetArrayDataReference(polynomials);
        for (int n = 0; n < _inner; n++)
        {
            WindowPolynomials(ref Unsafe.Add(ref kt, n * _row), ref Unsafe.Add(ref pt, n * (_intervals * Block)));
        }

        Span<double> lattice = polynomials.AsSpan(_polynomialLength);
        int last = _layout.KnotCount - 1;
        for (int n = 0; n < _inner; n++)
        {
            ref double row = ref Unsafe.Add(ref kt, n * _row);
            double first = Knot(ref row, 0);
            double spacing = (Knot(ref row, last) - first) / last;
            bool onLattice = spacing > 0.0 && double.IsFinite(spacing);
            for (int i = 1; onLattice && i < last; i++)
            {
                onLattice = Math.Abs(Knot(ref row, i) - (first + i * spacing)) <= 1e-13 * spacing;
            }

            lattice[n * LatticeStride] = first;
            lattice[n * LatticeStride + 1] = 1.0 / spacing;
            lattice[n * LatticeStride + 2] = onLattice ? 1.0 : 0.0;
        }

        for (int n = 0; n < _inner; n++)
        {
            knots.Slice(n * _row, _padded).CopyTo(new Span<double>(built, n * _padded, _padded));
        }

        buffers.PolynomialsValid = true;
        return polynomials;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WindowPolynomials(ref double row, ref double block)
    {
        int terms = Order + 1;
        Span<double> n = stackalloc double[terms * terms];
        Span<double> temp = stackalloc double[terms];
        Span<double> saved = stackalloc double[terms];
        for (int mu = 0; mu < _intervals; mu++)
        {
            ref double t = ref Unsafe.Add(ref row, _phantom + mu);
            ref double inv = ref Unsafe.Add(ref row, _padded + mu * _layout.ReciprocalsPerInterval);
            n.Clear();
            n[0] = 1.0;
            for (int j = 1; j <= Order; j++)
            {
                saved.Clear();
                for (int r = 0; r < j; r++)
                {
                    double reciprocal = Unsafe.Add(ref inv, (j - 1) * j / 2 + r);
                    double right = Unsafe.Add(ref t, r + 1) - t;
                    double left = t - Unsafe.Add(ref t, r + 1 - j);
                    for (int q = 0; q < terms; q++)
                    {
                        temp[q] = n[r * terms + q] * reciprocal;
                    }

                    for (int q = 0; q < terms; q++)
                    {
                        double lower = q > 0 ? temp[q - 1] : 0.0;
                        n[r * terms + q] = saved[q] + right * temp[q] - lower;
                        saved[q] = left * temp[q] + lower;
                    }
                }

                for (int q = 0; q < terms; q++)
                {
                    n[j * terms + q] = saved[q];
                }
            }

            int shift = Math.Clamp(mu - Order, 0, _g - 1) - (mu - Order);
            ref double target = ref Unsafe.Add(ref block, mu * Block);
            for (int r = 0; r < Slots; r++)
            {
                int source = r + shift;
                bool present = r <= Order && source >= 0 && source <= Order;
                for (int q = 0; q < terms; q++)
                {
                    Unsafe.Add(ref target, q * Slots + r) = present ? n[source * terms + q] : 0.0;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BlockWindows(nint n, int count, ref double scratch, ref int starts, ref double row, ref double polynomials, ref double lattice)
    {
        bool onLattice = LatticeWindowEmitter.Applies(Order) && Unsafe.Add(ref lattice, 2) != 0.0; // on every host, as emitted
        bool vectors = Vector256.IsHardwareAccelerated;
        for (nint s = 0; s < count; s++)
        {
            if ((s & 3) == 0 && s + 4 <= count
                && (onLattice ? LatticeWindows(n, ref Unsafe.Add(ref scratch, s * _scratchLength), ref Unsafe.Add(ref starts, s * _nodes), ref lattice)
                    : vectors && _tableWindows && TableWindows(n, ref Unsafe.Add(ref scratch, s * _scratchLength), ref Unsafe.Add(ref starts, s * _nodes), ref row, ref polynomials)))
            {
                s += 3;
                continue;
            }

            ref double sc = ref Unsafe.Add(ref scratch, s * _scratchLength);
            Unsafe.Add(ref starts, s * _nodes + n) = WindowWithDerivative(Unsafe.Add(ref sc, n), ref row, ref polynomials, ref Unsafe.Add(ref sc, _windows + n * Slots), ref Unsafe.Add(ref sc, _windowSlopes + n * Slots));
        }
    }

    /// <summary>
    /// BatchKernelEmitter's WindowWithDerivative: the interval search, then Horner on the interval's polynomial block. With
    /// <see cref="KernelBeyondGrid.Smooth"/> the search runs at the nearest point of [t_k, t_{G+k}], its interval is kept to
    /// the G real ones, and the values continue along their slopes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private int WindowWithDerivative(double x, ref double row, ref double polynomials, ref double values, ref double slopes)
    {
        double point = x, beyond = 0.0;
        if (_continues)
        {
            point = ContinuedPoint(x, ref row, out beyond);
        }
        else if (!(x >= Knot(ref row, 0) && x < Knot(ref row, _intervals)))
        {
            for (int r = 0; r < Slots; r++)
            {
                Unsafe.Add(ref values, r) = 0.0;
                Unsafe.Add(ref slopes, r) = 0.0;
            }

            return 0;
        }

        nint mu;
        if (_counted && Vector256.IsHardwareAccelerated)
        {
            Vector256<double> vx = Vector256.Create(point);
            Vector256<long> below = Vector256<long>.Zero;
            for (int q = 0; q < _chunks; q++)
            {
                below -= Vector256.AsInt64(Vector256.LessThanOrEqual(Vector256.LoadUnsafe(ref row, (nuint)(_phantom + 1 + 4 * q)), vx));
            }

            mu = (nint)Vector256.Sum(below);
        }
        else
        {
            mu = Interval(point, ref row);
        }

        if (_continues)
        {
            // Only the G real intervals: t_{G+k} itself belongs to the last one, whose slope continues.
            mu = Math.Min(Math.Max(mu, Order), _g + Order - 1);
        }

        double u = point - Unsafe.Add(ref row, _phantom + mu);
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<double> vbeyond = Vector256.Create(beyond);
            Horner(ref Unsafe.Add(ref polynomials, mu * Block), Vector256.Create(u), ref values, ref slopes, _continues, vbeyond);
            if (Slots > 4)
            {
                Horner(ref Unsafe.Add(ref polynomials, mu * Block + 4), Vector256.Create(u), ref Unsafe.Add(ref values, 4), ref Unsafe.Add(ref slopes, 4), _continues, vbeyond);
            }
        }
        else
        {
            HornerLanes(ref Unsafe.Add(ref polynomials, mu * Block), u, ref values, ref slopes, _continues, beyond);
        }

        return _continues ? (int)(mu - Order) : (int)Math.Min(Math.Max(mu - Order, 0), _g - 1);
    }

    /// <summary>
    /// Four window slots and their slopes from an interval's polynomial block (WriteHorner, vector form): the value's degree-k
    /// polynomial from row k down, the slope's degree k − 1 with row p + 1 scaled by p + 1; with <paramref name="continues"/>
    /// each value continued along its slope (WriteWindowSlots' tangent: value + beyond·slope, fused).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Horner(ref double p, Vector256<double> vu, ref double values, ref double slopes, bool continues, Vector256<double> vbeyond)
    {
        Vector256<double> value0 = Vector256.LoadUnsafe(ref p, (nuint)(Order * Slots));
        for (int power = Order - 1; power >= 3; power--)
        {
            value0 = Vector256.FusedMultiplyAdd(value0, vu, Vector256.LoadUnsafe(ref p, (nuint)(power * Slots)));
        }

        if (Order >= 3)
        {
            value0 = Vector256.FusedMultiplyAdd(value0, vu, Vector256.LoadUnsafe(ref p, (nuint)(2 * Slots)));
        }

        if (Order >= 2)
        {
            value0 = Vector256.FusedMultiplyAdd(value0, vu, Vector256.LoadUnsafe(ref p, (nuint)(1 * Slots)));
        }

        if (Order >= 1)
        {
            value0 = Vector256.FusedMultiplyAdd(value0, vu, Vector256.LoadUnsafe(ref p, (nuint)0));
        }

        if (Order == 0)
        {
            // Piecewise constant: no slope polynomial, the slopes are 0.
            Vector256.StoreUnsafe(value0, ref values, (nuint)0);
            Vector256.StoreUnsafe(Vector256<double>.Zero, ref slopes, (nuint)0);
            return;
        }

        Vector256<double> slope0 = Order == 1 ? Vector256.LoadUnsafe(ref p, (nuint)Slots) : (double)Order * Vector256.LoadUnsafe(ref p, (nuint)(Order * Slots));
        for (int power = Order - 2; power >= 2; power--)
        {
            slope0 = Vector256.FusedMultiplyAdd(slope0, vu, (double)(power + 1) * Vector256.LoadUnsafe(ref p, (nuint)((power + 1) * Slots)));
        }

        if (Order >= 3)
        {
            slope0 = Vector256.FusedMultiplyAdd(slope0, vu, 2.0 * Vector256.LoadUnsafe(ref p, (nuint)(2 * Slots)));
        }

        if (Order >= 2)
        {
            slope0 = Vector256.FusedMultiplyAdd(slope0, vu, Vector256.LoadUnsafe(ref p, (nuint)(1 * Slots)));
        }

        Vector256.StoreUnsafe(continues ? Vector256.FusedMultiplyAdd(slope0, vbeyond, value0) : value0, ref values, (nuint)0);
        Vector256.StoreUnsafe(slope0, ref slopes, (nuint)0);
    }

    /// <summary>
    /// BatchKernelEmitter's TableWindows: four samples' intervals by one compare per knot, then each sample's Horner as in
    /// WindowWithDerivative. With <see cref="KernelBeyondGrid.Smooth"/> every lane but NaN takes the window of its nearest
    /// point of [t_k, t_{G+k}], counting t_{k+1}..t_{G+k−1}, continued along its slopes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private bool TableWindows(nint n, ref double scratch, ref int starts, ref double row, ref double polynomials)
    {
        Vector256<double> x = Vector256.Create(Unsafe.Add(ref scratch, n), Unsafe.Add(ref scratch, _scratchLength + n), Unsafe.Add(ref scratch, 2 * _scratchLength + n), Unsafe.Add(ref scratch, 3 * _scratchLength + n));
        Vector256<double> point = x, beyond = Vector256<double>.Zero;
        Vector256<long> below = Vector256<long>.Zero;
        int first = 0;
        if (_continues)
        {
            if (Vector256.ExtractMostSignificantBits(Vector256.Equals(x, x)) != 0b1111)
            {
                return false;
            }

            point = Vector256.MinNative(Vector256.MaxNative(x, Vector256.Create(Knot(ref row, Order))), Vector256.Create(Knot(ref row, _g + Order)));
            beyond = x - point;
            first = Order;
            for (int j = Order + 1; j < _g + Order; j++)
            {
                below -= Vector256.AsInt64(Vector256.LessThanOrEqual(Vector256.Create(Knot(ref row, j)), point));
            }
        }
        else
        {
            if (Vector256.ExtractMostSignificantBits(Vector256.GreaterThanOrEqual(x, Vector256.Create(Knot(ref row, 0))) & Vector256.LessThan(x, Vector256.Create(Knot(ref row, _intervals)))) != 0b1111)
            {
                return false;
            }

            for (int j = 1; j < _intervals; j++)
            {
                below -= Vector256.AsInt64(Vector256.LessThanOrEqual(Vector256.Create(Knot(ref row, j)), x));
            }
        }

        for (int lane = 0; lane < 4; lane++)
        {
            nint mu = first + (nint)below.GetElement(lane);
            ref double sample = ref Unsafe.Add(ref scratch, lane * _scratchLength);
            Vector256<double> vu = Vector256.Create(point.GetElement(lane) - Unsafe.Add(ref row, _phantom + mu));
            Vector256<double> vbeyond = _continues ? Vector256.Create(beyond.GetElement(lane)) : default;
            Horner(ref Unsafe.Add(ref polynomials, mu * Block), vu, ref Unsafe.Add(ref sample, _windows + n * Slots), ref Unsafe.Add(ref sample, _windowSlopes + n * Slots), _continues, vbeyond);
            if (Slots > 4)
            {
                Horner(ref Unsafe.Add(ref polynomials, mu * Block + 4), vu, ref Unsafe.Add(ref sample, _windows + n * Slots + 4), ref Unsafe.Add(ref sample, _windowSlopes + n * Slots + 4), _continues, vbeyond);
            }
            Unsafe.Add(ref starts, lane * _nodes + n) = _continues ? (int)(mu - Order) : (int)Math.Min(Math.Max(mu - Order, 0), _g - 1);
        }

        return true;
    }

    /// <summary>LatticeWindowEmitter's LatticeWindows: four samples' windows from the cardinal B-spline's pieces.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private bool LatticeWindows(nint n, ref double scratch, ref int starts, ref double lattice)
    {
        Vector256<double> x = Vector256.Create(Unsafe.Add(ref scratch, n), Unsafe.Add(ref scratch, _scratchLength + n), Unsafe.Add(ref scratch, 2 * _scratchLength + n), Unsafe.Add(ref scratch, 3 * _scratchLength + n));
        Vector256<double> inverse = Vector256.Create(Unsafe.Add(ref lattice, 1));
        Vector256<double> t = (x - Vector256.Create(lattice)) * inverse;
        Vector256<double> cell, u, beyond = Vector256<double>.Zero;
        if (_continues)
        {
            // NaN leaves for the general path; every other lane takes the window of its nearest point of [k, G+k] (units of h,
            // the last cell holding its right end), each value continued along its slope by beyond (units of h).
            if (Vector256.ExtractMostSignificantBits(Vector256.Equals(t, t)) != 0b1111)
            {
                return false;
            }

            Vector256<double> inside = Vector256.MinNative(Vector256.MaxNative(t, Vector256.Create((double)Order)), Vector256.Create((double)(_g + Order)));
            beyond = t - inside;
            cell = Vector256.MinNative(Vector256.Floor(inside), Vector256.Create((double)(_g + Order - 1)));
            u = inside - cell;
        }
        else
        {
            Vector256<double> inside = Vector256.GreaterThanOrEqual(t, Vector256.Create((double)Order)) & Vector256.LessThan(t, Vector256.Create((double)(_g + Order)));
            if (Vector256.ExtractMostSignificantBits(inside) != 0b1111)
            {
                return false;
            }

            cell = Vector256.Floor(t);
            u = t - cell;
        }

        for (int r = 0; r < Slots; r++)
        {
            // Slots past k are zero vectors, as emitted.
            Vector256<double> value = Vector256<double>.Zero, slope = Vector256<double>.Zero;
            if (r <= Order)
            {
                double[] piece = Pieces[Order - r];
                value = ConstantHorner(piece, u, derivative: false);
                slope = ConstantHorner(piece, u, derivative: true);
                if (_continues)
                {
                    value = Vector256.FusedMultiplyAdd(slope, beyond, value);
                }

                slope *= inverse;
            }

            // The emitted transpose (unpack, permute) only moves lanes: sample lane's slot r.
            for (int lane = 0; lane < 4; lane++)
            {
                Unsafe.Add(ref scratch, lane * _scratchLength + _windows + n * Slots + r) = value.GetElement(lane);
                Unsafe.Add(ref scratch, lane * _scratchLength + _windowSlopes + n * Slots + r) = slope.GetElement(lane);
            }
        }

        // The emitted truncation (AVX's, or lane by lane without it) of a small whole number.
        for (int lane = 0; lane < 4; lane++)
        {
            Unsafe.Add(ref starts, lane * _nodes + n) = (int)cell.GetElement(lane) - Order;
        }

        return true;
    }

    /// <summary>WriteConstantHorner: a zero coefficient is a plain multiply (not a fused add of 0, which can differ in the sign of zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static Vector256<double> ConstantHorner(double[] piece, Vector256<double> u, bool derivative)
    {
        int degree = piece.Length - 1 - (derivative ? 1 : 0);
        if (degree < 0)
        {
            return Vector256<double>.Zero;
        }

        double Coefficient(int p) => derivative ? (p + 1) * piece[p + 1] : piece[p];
        Vector256<double> target = Vector256.Create(Coefficient(degree));
        for (int p = degree - 1; p >= 0; p--)
        {
            double coefficient = Coefficient(p);
            target = coefficient == 0.0 ? target * u : Vector256.FusedMultiplyAdd(target, u, Vector256.Create(coefficient));
        }

        return target;
    }
}
