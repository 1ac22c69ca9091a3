using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using KanCompile.Generators.Emit;
using KanCompile.Generators.Model;

namespace KanCompile.Compilation;

/// <summary>
/// The single-sample forward+backward pass (KernelEmitter's BackwardCore) and what it keeps per inner node: the basis
/// window with its derivative (BasisEmitter's BasisWithDerivative) and the SiLU value and slope. Its scratch is the
/// emitted stack scratch (<see cref="KernelEmitter.WriteBackwardScratch"/>), sized at run time.
/// </summary>
internal sealed partial class RuntimeShapedKernel<TOrder>
{
    /// <summary>Doubles kept per inner node: the basis window, then its derivative (k + 1 each).</summary>
    private static int KeptWindow => 2 * (Order + 1);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override double Backward(ReadOnlySpan<double> input, ReadOnlySpan<double> target, bool targetIsLabel, double scale, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, Span<double> parameterGradient, Span<double> inputGradient, in EdgeStatisticGradient statistics)
    {
        Check(input.Length, target.Length, parameters.Length, knots.Length, masks.Length);
        CheckGradients(parameterGradient.Length, inputGradient.Length);
        bool regularized = statistics.IsActive;
        if (regularized)
        {
            statistics.Validate(_edges, _nodes);
        }

        ref double p = ref MemoryMarshal.GetReference(parameters);
        ref double gp = ref MemoryMarshal.GetReference(parameterGradient);
        ref double mk = ref MemoryMarshal.GetReference(masks);
        ref double ea = ref MemoryMarshal.GetReference(statistics.EdgeWeight);
        ref double em = ref MemoryMarshal.GetReference(statistics.EdgeMean);
        ref double nb = ref MemoryMarshal.GetReference(statistics.NodeWeight);
        ref double nm = ref MemoryMarshal.GetReference(statistics.NodeMean);
        int inner = _layout.NodeOffset[_depth];
        Span<double> values = stackalloc double[_nodes];
        Span<double> gradients = stackalloc double[_nodes];
        Span<int> starts = stackalloc int[inner];
        Span<double> basis = stackalloc double[inner * KeptWindow];
        Span<double> residual = stackalloc double[inner * 2];
        ref double v = ref MemoryMarshal.GetReference(values);
        ref double g = ref MemoryMarshal.GetReference(gradients);
        ref int st = ref MemoryMarshal.GetReference(starts);
        ref double bs = ref MemoryMarshal.GetReference(basis);
        ref double rs = ref MemoryMarshal.GetReference(residual);
        input.CopyTo(values);
        for (int l = 0; l < _depth; l++)
        {
            int nIn = _w[l], nOut = _sub[l + 1];
            ref double y0 = ref Unsafe.Add(ref v, _layout.SubnodeOffset[l + 1]);
            for (int i = 0; i < nIn; i++)
            {
                int n = _layout.NodeOffset[l] + i;
                double bx = KeepBasis(l, i, n, knots, ref v, ref st, ref bs, ref rs);
                ref double b = ref Unsafe.Add(ref bs, n * KeptWindow);
                int e = i * nOut;
                int c = _layout.CoefficientOffset[l] + e * _c + Unsafe.Add(ref st, n);
                for (int j = 0; j < nOut; j++, e++)
                {
                    // BackwardCore's φ: no skip for a masked-out spline and no ψ, unlike BackwardSymbolic's EdgeValue.
                    double spline = Window(ref p, c, ref b);
                    Unsafe.Add(ref y0, j) += Unsafe.Add(ref mk, _layout.MaskOffset[l] + e) * (Unsafe.Add(ref p, _layout.ScaleBaseOffset[l] + e) * bx + Unsafe.Add(ref p, _layout.ScaleSplineOffset[l] + e) * spline);
                    c += _c;
                }
            }

            Multiply(l + 1, ref v);
        }

        double squaredError = OutputGradient(target, targetIsLabel, scale, ref v, ref g);
        for (int l = _depth - 1; l >= 0; l--)
        {
            int nIn = _w[l], nOut = _sub[l + 1];
            MultiplyBackward(l + 1, ref v, ref g);
            ref double upstreams = ref Unsafe.Add(ref g, _layout.SubnodeOffset[l + 1]);
            for (int i = 0; i < nIn; i++)
            {
                int n = _layout.NodeOffset[l] + i;
                ref double b = ref Unsafe.Add(ref bs, n * KeptWindow);
                double bx = Unsafe.Add(ref rs, 2 * n);
                double dbx = Unsafe.Add(ref rs, 2 * n + 1);
                double gx = 0.0;
                int e = i * nOut;
                int c = _layout.CoefficientOffset[l] + e * _c + Unsafe.Add(ref st, n);
                for (int j = 0; j < nOut; j++, e++)
                {
                    double mask = Unsafe.Add(ref mk, _layout.MaskOffset[l] + e);
                    gx += SplineEdgeBackward(l, e, c, mask, Unsafe.Add(ref upstreams, j), bx, dbx, regularized, ref p, ref gp, ref b, ref ea, ref em);
                    c += _c;
                }

                if (regularized)
                {
                    gx += Unsafe.Add(ref nb, n) * (Unsafe.Add(ref v, n) - Unsafe.Add(ref nm, n));
                }

                Unsafe.Add(ref g, n) = gx;
            }
        }

        if (inputGradient.Length != 0)
        {
            gradients.Slice(0, _inputs).CopyTo(inputGradient);
        }

        return squaredError;
    }

    /// <summary>
    /// KernelEmitter's backward step through edge e of layer <paramref name="l"/> (the spline branch φ = mask·(sb·b(x) + ss·spline)):
    /// adds its parameter gradients (the edge-statistic term first when <paramref name="regularized"/>) and returns its
    /// term of the input's gradient, ge·(sb·b'(x) + ss·spline'(x)). <paramref name="b"/> is the node's kept window, its
    /// derivative right after it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private double SplineEdgeBackward(int l, int e, int c, double mask, double upstream, double bx, double dbx, bool regularized, ref double p, ref double gp, ref double b, ref double ea, ref double em)
    {
        double scaleBase = Unsafe.Add(ref p, _layout.ScaleBaseOffset[l] + e);
        double scaleSpline = Unsafe.Add(ref p, _layout.ScaleSplineOffset[l] + e);
        double spline = Window(ref p, c, ref b);
        double slope = Window(ref p, c, ref Unsafe.Add(ref b, Order + 1));
        if (regularized)
        {
            double phi = mask * (scaleBase * bx + scaleSpline * spline);
            upstream += Unsafe.Add(ref ea, _layout.EdgeOffset[l] + e) * (phi - Unsafe.Add(ref em, _layout.EdgeOffset[l] + e));
        }

        double ge = upstream * mask;
        Unsafe.Add(ref gp, _layout.ScaleBaseOffset[l] + e) += ge * bx;
        Unsafe.Add(ref gp, _layout.ScaleSplineOffset[l] + e) += ge * spline;
        AddCoefficientGradient(ref Unsafe.Add(ref gp, c), ge * scaleSpline, ref b);
        return ge * (scaleBase * dbx + scaleSpline * slope);
    }

    private void CheckGradients(int parameterGradient, int inputGradient)
    {
        if (parameterGradient != _layout.ParameterCount || (inputGradient != 0 && inputGradient != _inputs))
        {
            ThrowGradientMismatch(_layout.ParameterCount, _inputs, parameterGradient, inputGradient);
        }
    }

    /// <summary>
    /// KernelEmitter's WriteBasisKept for input <paramref name="i"/> of layer <paramref name="l"/> (node <paramref name="n"/>):
    /// keeps the node's window start, basis window and derivative, b(x) and b'(x); returns b(x).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private double KeepBasis(int l, int i, int n, ReadOnlySpan<double> knots, ref double v, ref int st, ref double bs, ref double rs)
    {
        double x = Unsafe.Add(ref v, n);
        ref double row = ref Unsafe.Add(ref MemoryMarshal.GetReference(knots), _layout.KnotOffset[l] + i * _row);
        int start = BasisWithDerivative(x, ref row, ref Unsafe.Add(ref bs, n * KeptWindow));
        double bx = Base(x, out double dbx);
        Unsafe.Add(ref st, n) = start;
        Unsafe.Add(ref rs, 2 * n) = bx;
        Unsafe.Add(ref rs, 2 * n + 1) = dbx;
        return bx;
    }

    /// <summary>KernelEmitter's WriteOutputGradient: the output gradient (2·scale·(y − label), or the target itself) and the squared error.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private double OutputGradient(ReadOnlySpan<double> target, bool targetIsLabel, double scale, ref double v, ref double g)
    {
        int offset = _layout.NodeOffset[_depth];
        double squaredError = 0.0;
        for (int o = 0; o < _outputs; o++)
        {
            double y = Unsafe.Add(ref v, offset + o);
            if (targetIsLabel)
            {
                double residualError = y - target[o];
                squaredError += residualError * residualError;
                Unsafe.Add(ref g, offset + o) = 2.0 * scale * residualError;
            }
            else
            {
                Unsafe.Add(ref g, offset + o) = target[o];
            }
        }

        return squaredError;
    }

    /// <summary>EmitText.Window: c·w0 + c1·w1 + … + ck·wk, left to right.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static double Window(ref double p, int c, ref double w)
    {
        double sum = Unsafe.Add(ref p, c) * w;
        if (Order >= 1)
        {
            sum += Unsafe.Add(ref p, c + 1) * Unsafe.Add(ref w, 1);
        }

        if (Order >= 2)
        {
            sum += Unsafe.Add(ref p, c + 2) * Unsafe.Add(ref w, 2);
        }

        if (Order >= 3)
        {
            sum += Unsafe.Add(ref p, c + 3) * Unsafe.Add(ref w, 3);
        }

        for (int r = 4; r <= Order; r++)
        {
            sum += Unsafe.Add(ref p, c + r) * Unsafe.Add(ref w, r);
        }

        return sum;
    }

    /// <summary>The forward passes' fused window sum: sum + b_r·(spline·c_r) for r = 0..k, one fused multiply-add each.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static double WindowSum(ref double b, double spline, ref double c, double sum)
    {
        sum = Math.FusedMultiplyAdd(b, spline * c, sum);
        if (Order >= 1)
        {
            sum = Math.FusedMultiplyAdd(Unsafe.Add(ref b, 1), spline * Unsafe.Add(ref c, 1), sum);
        }

        if (Order >= 2)
        {
            sum = Math.FusedMultiplyAdd(Unsafe.Add(ref b, 2), spline * Unsafe.Add(ref c, 2), sum);
        }

        if (Order >= 3)
        {
            sum = Math.FusedMultiplyAdd(Unsafe.Add(ref b, 3), spline * Unsafe.Add(ref c, 3), sum);
        }

        for (int r = 4; r <= Order; r++)
        {
            sum = Math.FusedMultiplyAdd(Unsafe.Add(ref b, r), spline * Unsafe.Add(ref c, r), sum);
        }

        return sum;
    }

    /// <summary>The backward pass's coefficient gradient: gc_r += gs·b_r.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void AddCoefficientGradient(ref double gc, double gs, ref double b)
    {
        gc += gs * b;
        if (Order >= 1)
        {
            Unsafe.Add(ref gc, 1) += gs * Unsafe.Add(ref b, 1);
        }

        if (Order >= 2)
        {
            Unsafe.Add(ref gc, 2) += gs * Unsafe.Add(ref b, 2);
        }

        if (Order >= 3)
        {
            Unsafe.Add(ref gc, 3) += gs * Unsafe.Add(ref b, 3);
        }

        for (int r = 4; r <= Order; r++)
        {
            Unsafe.Add(ref gc, r) += gs * Unsafe.Add(ref b, r);
        }
    }

    /// <summary>
    /// BasisEmitter's BasisWithDerivative for k = <see cref="Order"/>, as emitted: the window into <paramref name="window"/>[0..k] and its
    /// derivative into [k+1..2k+1] (the slot layout the backward pass keeps), from the order k − 1 values by the emitted slope
    /// formula (<see cref="Slopes"/>); with <see cref="KernelBeyondGrid.Smooth"/> those of the nearest point of [t_k, t_{G+k}],
    /// the values continued along the slope (<see cref="ContinuedWindow"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private int BasisWithDerivative(double x, ref double row, ref double window)
    {
        if (_continues)
        {
            return ContinuedWindow(x, ref row, ref window, withDerivative: true);
        }

        if (!(x >= Knot(ref row, 0) && x < Knot(ref row, _intervals)))
        {
            for (int r = 0; r < KeptWindow; r++)
            {
                Unsafe.Add(ref window, r) = 0.0;
            }

            return 0;
        }

        int mu = Interval(x, ref row);
        if (Order == 0)
        {
            window = 1.0;
            Unsafe.Add(ref window, 1) = 0.0;
            return mu;
        }

        if (Order > 3)
        {
            return WideBasis(x, ref row, mu, ref window, withDerivative: true);
        }

        CoxDeBoor(x, ref row, mu, out double n0, out double n1, out double n2, out double n3, out double p0, out double p1, out double p2);
        Slopes(ref row, mu, p0, p1, p2, out double e0, out double e1, out double e2, out double e3);
        int start = mu - Order;
        ShiftPadding(start, ref n0, ref n1, ref n2, ref n3);
        ShiftPadding(start, ref e0, ref e1, ref e2, ref e3);
        start = Math.Clamp(start, 0, _g - 1);

        StoreWindow(ref window, n0, n1, n2, n3);
        StoreWindow(ref Unsafe.Add(ref window, Order + 1), e0, e1, e2, e3);
        return start;
    }
}
