using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using KanCompile.Generators.Emit;
using KanCompile.Generators.Model;

namespace KanCompile.Compilation;

/// <summary>The single-sample paths (KernelEmitter's ForwardCore and TraceCore) and the scalar basis they use.</summary>
internal sealed partial class RuntimeShapedKernel<TOrder>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Forward(ReadOnlySpan<double> input, Span<double> output, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks)
    {
        Check(input.Length, output.Length, parameters.Length, knots.Length, masks.Length);
        Buffers buffers = _buffers.Value!;
        double[] nodes = buffers.Nodes;
        ref double p = ref MemoryMarshal.GetReference(parameters);
        ref double kt = ref MemoryMarshal.GetReference(knots);
        ref double mk = ref MemoryMarshal.GetReference(masks);
        Span<double> b = stackalloc double[Slots];
        input.CopyTo(nodes);
        Array.Clear(nodes, _inputs, _nodes - _inputs);
        for (int l = 0; l < _depth; l++)
        {
            int nIn = _w[l], nOut = _sub[l + 1];
            ref double a = ref nodes[_layout.NodeOffset[l]];
            ref double y0 = ref nodes[_layout.SubnodeOffset[l + 1]];
            for (int i = 0; i < nIn; i++)
            {
                double x = Unsafe.Add(ref a, i);
                int start = Basis(x, ref Unsafe.Add(ref kt, _layout.KnotOffset[l] + i * _row), ref MemoryMarshal.GetReference(b));
                double bx = Base(x);
                int e = i * nOut;
                int c = _layout.CoefficientOffset[l] + e * _c + start;
                for (int j = 0; j < nOut; j++, e++)
                {
                    double mask = Unsafe.Add(ref mk, _layout.MaskOffset[l] + e);
                    double spline = mask * Unsafe.Add(ref p, _layout.ScaleSplineOffset[l] + e);
                    ref double y = ref Unsafe.Add(ref y0, j);
                    double sum = Math.FusedMultiplyAdd(bx, mask * Unsafe.Add(ref p, _layout.ScaleBaseOffset[l] + e), y);
                    y = WindowSum(ref MemoryMarshal.GetReference(b), spline, ref Unsafe.Add(ref p, c), sum);
                    c += _c;
                }
            }

            Multiply(l + 1, ref MemoryMarshal.GetArrayDataReference(nodes));
        }

        new ReadOnlySpan<double>(nodes, _layout.NodeOffset[_depth], _outputs).CopyTo(output);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Trace(ReadOnlySpan<double> input, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, Span<double> nodeValues, Span<double> edgeValues, Span<double> splineValues)
    {
        Check(input.Length, _outputs, parameters.Length, knots.Length, masks.Length);
        if (nodeValues.Length != _nodes || edgeValues.Length != _edges || splineValues.Length != _edges)
        {
            ThrowTraceMismatch(_nodes, _edges, nodeValues.Length, edgeValues.Length, splineValues.Length);
        }

        ref double p = ref MemoryMarshal.GetReference(parameters);
        ref double kt = ref MemoryMarshal.GetReference(knots);
        ref double mk = ref MemoryMarshal.GetReference(masks);
        ref double nv = ref MemoryMarshal.GetReference(nodeValues);
        ref double ev = ref MemoryMarshal.GetReference(edgeValues);
        ref double sv = ref MemoryMarshal.GetReference(splineValues);
        Span<double> b = stackalloc double[Slots];
        input.CopyTo(nodeValues);
        nodeValues.Slice(_inputs).Clear();
        for (int l = 0; l < _depth; l++)
        {
            int nIn = _w[l], nOut = _sub[l + 1];
            for (int i = 0; i < nIn; i++)
            {
                double x = Unsafe.Add(ref nv, _layout.NodeOffset[l] + i);
                int start = Basis(x, ref Unsafe.Add(ref kt, _layout.KnotOffset[l] + i * _row), ref MemoryMarshal.GetReference(b));
                double bx = Base(x);
                int e = i * nOut;
                int c = _layout.CoefficientOffset[l] + e * _c + start;
                for (int j = 0; j < nOut; j++, e++)
                {
                    double spline = Window(ref p, c, ref MemoryMarshal.GetReference(b));
                    double phi = Unsafe.Add(ref mk, _layout.MaskOffset[l] + e) * (Unsafe.Add(ref p, _layout.ScaleBaseOffset[l] + e) * bx + Unsafe.Add(ref p, _layout.ScaleSplineOffset[l] + e) * spline);
                    Unsafe.Add(ref sv, _layout.EdgeOffset[l] + e) = spline;
                    Unsafe.Add(ref ev, _layout.EdgeOffset[l] + e) = phi;
                    Unsafe.Add(ref nv, _layout.SubnodeOffset[l + 1] + j) += phi;
                    c += _c;
                }
            }

            Multiply(l + 1, ref nv);
        }
    }

    // ---- Bases and windows. ----

    private double Knot(ref double row, int index) => Unsafe.Add(ref row, _phantom + index);

    /// <summary>
    /// The interval μ with t_μ ≤ x &lt; t_(μ+1), for x inside [t_0, t_G): the emitted halving search. Every basis path takes
    /// it (an integer, so how it is found cannot change a bit of the results).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Interval(double x, ref double row) => Interval(x, ref row, 0, _intervals);

    /// <summary>The halving search over the <paramref name="count"/> intervals from t_<paramref name="first"/> (BasisEmitter.WriteIntervalSearch).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Interval(double x, ref double row, int first, int count)
    {
        int mu = first;
        for (int length = count; length > 1;)
        {
            int half = length >> 1;
            mu += Knot(ref row, mu + half) <= x ? half : 0;
            length -= half;
        }

        return mu;
    }

    /// <summary>
    /// <see cref="KernelBeyondGrid.Smooth"/>: the nearest point of [t_k, t_{G+k}] to <paramref name="x"/> (the emitted
    /// MinNative/MaxNative, whose NaN and signed-zero results are the hardware's) and <paramref name="beyond"/> = x − that point.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double ContinuedPoint(double x, ref double row, out double beyond)
    {
        double inside = double.MinNative(double.MaxNative(x, Knot(ref row, Order)), Knot(ref row, _g + Order));
        beyond = x - inside;
        return inside;
    }

    /// <summary>
    /// BasisEmitter.WriteContinuedInterval: the continued window's point <paramref name="inside"/> and its real interval, the
    /// last of t_k..t_{G+k−1} at or below it (t_{G+k} belongs to the last real interval, whose slope continues).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ContinuedInterval(double x, ref double row, out double inside, out double beyond)
    {
        inside = ContinuedPoint(x, ref row, out beyond);
        return Interval(inside, ref row, Order, _g);
    }

    /// <summary>
    /// BasisEmitter's padding-zone shift of one window (the values, or one order of derivative): below t_k the basis
    /// functions with index &lt; 0 do not exist and the window moves down, above t_{G+k} those past G+k−1 do not exist and it
    /// moves up. Every window of a point takes the same shift; the caller then clamps start to [0, G − 1].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ShiftPadding(int start, ref double w0, ref double w1, ref double w2, ref double w3)
    {
        if (start < 0)
        {
            switch (start)
            {
                case -1:
                    (w0, w1, w2, w3) = (w1, w2, w3, 0.0);
                    break;
                case -2:
                    (w0, w1, w2, w3) = (w2, w3, 0.0, 0.0);
                    break;
                case -3:
                    (w0, w1, w2, w3) = (w3, 0.0, 0.0, 0.0);
                    break;
            }
        }
        else if (start > _g - 1)
        {
            switch (start - (_g - 1))
            {
                case 1:
                    (w0, w1, w2, w3) = (0.0, w0, w1, w2);
                    break;
                case 2:
                    (w0, w1, w2, w3) = (0.0, 0.0, w0, w1);
                    break;
                case 3:
                    (w0, w1, w2, w3) = (0.0, 0.0, 0.0, w0);
                    break;
            }
        }
    }

    /// <summary>
    /// The distances from x to the knots around interval <paramref name="mu"/> that the first three Cox–de Boor levels
    /// use (0.0 past the order), as the emitted Basis and BasisJet compute them; returns the interval's reciprocals.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref double KnotDistances(double x, ref double row, int mu, out double left1, out double right1, out double left2, out double right2, out double left3, out double right3)
    {
        ref double t = ref Unsafe.Add(ref row, _phantom + mu);
        left1 = x - t;
        right1 = Unsafe.Add(ref t, 1) - x;
        left2 = Order >= 2 ? x - Unsafe.Add(ref t, -1) : 0.0;
        right2 = Order >= 2 ? Unsafe.Add(ref t, 2) - x : 0.0;
        left3 = Order >= 3 ? x - Unsafe.Add(ref t, -2) : 0.0;
        right3 = Order >= 3 ? Unsafe.Add(ref t, 3) - x : 0.0;
        return ref Unsafe.Add(ref row, _padded + mu * _layout.ReciprocalsPerInterval);
    }

    /// <summary>
    /// BasisEmitter's Cox–de Boor recurrence on interval <paramref name="mu"/>, as emitted for k = <see cref="Order"/> (levels
    /// 1..k, the row's reciprocals, the same order of operations): the window <paramref name="n0"/>..n<i>k</i> and the order
    /// k − 1 values <paramref name="p0"/>..p<i>k−1</i> the slope is made from. Slots past k stay 0.0 (what the padding shift
    /// moves in). Basis and BasisWithDerivative both take it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CoxDeBoor(double x, ref double row, int mu, out double n0, out double n1, out double n2, out double n3, out double p0, out double p1, out double p2)
    {
        ref double inv = ref KnotDistances(x, ref row, mu, out double left1, out double right1, out double left2, out double right2, out double left3, out double right3);
        n0 = 1.0;
        n1 = 0.0;
        n2 = 0.0;
        n3 = 0.0;
        p0 = p1 = p2 = 0.0;
        double saved, temp;
        if (Order == 1)
        {
            p0 = n0;
        }

        saved = 0.0;
        temp = n0 * inv;
        n0 = saved + right1 * temp;
        saved = left1 * temp;
        n1 = saved;
        if (Order >= 2)
        {
            if (Order == 2)
            {
                p0 = n0;
                p1 = n1;
            }

            saved = 0.0;
            temp = n0 * Unsafe.Add(ref inv, 1);
            n0 = saved + right1 * temp;
            saved = left2 * temp;
            temp = n1 * Unsafe.Add(ref inv, 2);
            n1 = saved + right2 * temp;
            saved = left1 * temp;
            n2 = saved;
        }

        if (Order >= 3)
        {
            // Order k - 1 kept for the derivative.
            p0 = n0;
            p1 = n1;
            p2 = n2;
            saved = 0.0;
            temp = n0 * Unsafe.Add(ref inv, 3);
            n0 = saved + right1 * temp;
            saved = left3 * temp;
            temp = n1 * Unsafe.Add(ref inv, 4);
            n1 = saved + right2 * temp;
            saved = left2 * temp;
            temp = n2 * Unsafe.Add(ref inv, 5);
            n2 = saved + right3 * temp;
            saved = left1 * temp;
            n3 = saved;
        }
    }

    /// <summary>
    /// BasisEmitter.WriteSlopes for k = <see cref="Order"/> from 1 to 3: the window's derivative from the order k − 1 values
    /// <paramref name="p0"/>..p<i>k−1</i> on interval <paramref name="mu"/>, w_r = k·(p_{r−1}·inv_r), e_r = w_r − w_{r+1} with
    /// w_0 = w_{k+1} = 0.0 (so slots past k are 0.0 − 0.0). Every path with a slope up to k = 3 takes it (k ≥ 4: WideSlopes).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Slopes(ref double row, int mu, double p0, double p1, double p2, out double e0, out double e1, out double e2, out double e3)
    {
        ref double inv = ref Unsafe.Add(ref row, _padded + mu * _layout.ReciprocalsPerInterval);
        int d = KernelLayout.DerivativeReciprocal(Order, 1);
        double w1 = Order * (p0 * Unsafe.Add(ref inv, d));
        double w2 = Order >= 2 ? Order * (p1 * Unsafe.Add(ref inv, d + 1)) : 0.0;
        double w3 = Order >= 3 ? Order * (p2 * Unsafe.Add(ref inv, d + 2)) : 0.0;
        e0 = 0.0 - w1;
        e1 = w1 - w2;
        e2 = w2 - w3;
        e3 = w3 - 0.0;
    }

    /// <summary>
    /// Window slot r of a k + 1 slot window (<see cref="Order"/>), written only where r ≤ k: the emitted code has no slot
    /// past k, and the scalar paths keep their windows k + 1 apart.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreWindow(ref double window, double w0, double w1, double w2, double w3)
    {
        window = w0;
        if (Order >= 1)
        {
            Unsafe.Add(ref window, 1) = w1;
        }

        if (Order >= 2)
        {
            Unsafe.Add(ref window, 2) = w2;
        }

        if (Order >= 3)
        {
            Unsafe.Add(ref window, 3) = w3;
        }
    }

    /// <summary>
    /// BasisEmitter.WriteContinued (<see cref="KernelBeyondGrid.Smooth"/>) for k = <see cref="Order"/>: the window and its
    /// derivative at the nearest point of [t_k, t_{G+k}], each value continued along its slope (b_r = n_r + beyond·e_r), into
    /// <paramref name="window"/>[0..k] and, <paramref name="withDerivative"/>, the slopes into [k+1..2k+1]; at k = 0 the
    /// boundary value with slope 0, for k ≥ 4 <see cref="WideBasis"/>. It always starts within the G+k coefficients (no
    /// padding-zone shift). Basis and BasisWithDerivative both take it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ContinuedWindow(double x, ref double row, ref double window, bool withDerivative)
    {
        int mu = ContinuedInterval(x, ref row, out double inside, out double beyond);
        if (Order == 0)
        {
            // Piecewise constant: the boundary value continues, slope 0.
            window = 1.0;
            if (withDerivative)
            {
                Unsafe.Add(ref window, 1) = 0.0;
            }

            return mu;
        }

        if (Order > 3)
        {
            return WideBasis(inside, ref row, mu, ref window, withDerivative, beyond);
        }

        CoxDeBoor(inside, ref row, mu, out double n0, out double n1, out double n2, out double n3, out double p0, out double p1, out double p2);
        Slopes(ref row, mu, p0, p1, p2, out double e0, out double e1, out double e2, out double e3);
        StoreWindow(ref window, n0 + beyond * e0, n1 + beyond * e1, n2 + beyond * e2, n3 + beyond * e3);
        if (withDerivative)
        {
            StoreWindow(ref Unsafe.Add(ref window, Order + 1), e0, e1, e2, e3);
        }

        return mu - Order;
    }

    /// <summary>
    /// BasisEmitter's Basis for k = <see cref="Order"/>, as emitted: halving search, Cox-de Boor with the row's reciprocals, the
    /// padding-zone shift; with <see cref="KernelBeyondGrid.Smooth"/> the window of the nearest point of [t_k, t_{G+k}]
    /// continued along its slope (<see cref="ContinuedWindow"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private int Basis(double x, ref double row, ref double window)
    {
        if (_continues)
        {
            return ContinuedWindow(x, ref row, ref window, withDerivative: false);
        }

        if (!(x >= Knot(ref row, 0) && x < Knot(ref row, _intervals)))
        {
            MemoryMarshal.CreateSpan(ref window, Order + 1).Clear();
            return 0;
        }

        int mu = Interval(x, ref row);
        if (Order == 0)
        {
            // Piecewise constant: the window is 1 on its interval, which is the coefficient's index (no padding zone).
            window = 1.0;
            return mu;
        }

        if (Order > 3)
        {
            return WideBasis(x, ref row, mu, ref window, withDerivative: false);
        }

        CoxDeBoor(x, ref row, mu, out double n0, out double n1, out double n2, out double n3, out _, out _, out _);
        int start = mu - Order;
        ShiftPadding(start, ref n0, ref n1, ref n2, ref n3);
        start = Math.Clamp(start, 0, _g - 1);

        StoreWindow(ref window, n0, n1, n2, n3);
        return start;
    }
}
