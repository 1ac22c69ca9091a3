using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KanCompile.Compilation;

/// <summary>
/// The mixed single-sample paths (MixedKernelEmitter's ForwardSymbolicCore, TraceSymbolicCore and BackwardSymbolicCore):
/// every edge's spline branch φ plus its symbolic branch ψ through the same <see cref="SymbolicDispatch"/> the emitted
/// code calls. The batch forms are the base class's per-sample loops, which run these exactly as the emitted overrides do.
/// </summary>
internal sealed partial class RuntimeShapedKernel<TOrder>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void ForwardSymbolic(ReadOnlySpan<double> input, Span<double> output, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic)
    {
        Check(input.Length, output.Length, parameters.Length, knots.Length, masks.Length);
        symbolic.Validate(_edges);
        ref double p = ref MemoryMarshal.GetReference(parameters);
        ref double kt = ref MemoryMarshal.GetReference(knots);
        ref double mk = ref MemoryMarshal.GetReference(masks);
        ref double sm = ref MemoryMarshal.GetReference(symbolic.Masks);
        Span<double> values = stackalloc double[_nodes];
        Span<double> b = stackalloc double[Slots];
        ref double v = ref MemoryMarshal.GetReference(values);
        ref double window = ref MemoryMarshal.GetReference(b);
        input.CopyTo(values);
        for (int l = 0; l < _depth; l++)
        {
            int nIn = _w[l], nOut = _sub[l + 1];
            ref double y0 = ref Unsafe.Add(ref v, _layout.SubnodeOffset[l + 1]);
            for (int i = 0; i < nIn; i++)
            {
                double x = Unsafe.Add(ref v, _layout.NodeOffset[l] + i);
                int start = Basis(x, ref Unsafe.Add(ref kt, _layout.KnotOffset[l] + i * _row), ref window);
                double bx = Base(x);
                int e = i * nOut;
                int c = _layout.CoefficientOffset[l] + e * _c + start;
                for (int j = 0; j < nOut; j++, e++)
                {
                    Unsafe.Add(ref y0, j) += EdgeValue(l, e, c, bx, x, ref p, ref mk, ref window, in symbolic, ref sm);
                    c += _c;
                }
            }

            Multiply(l + 1, ref v);
        }

        values.Slice(_layout.NodeOffset[_depth], _outputs).CopyTo(output);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void TraceSymbolic(ReadOnlySpan<double> input, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic, Span<double> nodeValues, Span<double> edgeValues, Span<double> splineValues, Span<double> symbolicValues)
    {
        Check(input.Length, _outputs, parameters.Length, knots.Length, masks.Length);
        if (nodeValues.Length != _nodes || edgeValues.Length != _edges || splineValues.Length != _edges || (symbolicValues.Length != 0 && symbolicValues.Length != _edges))
        {
            ThrowTraceMismatch(_nodes, _edges, nodeValues.Length, edgeValues.Length, splineValues.Length);
        }

        symbolic.Validate(_edges);
        ref double p = ref MemoryMarshal.GetReference(parameters);
        ref double kt = ref MemoryMarshal.GetReference(knots);
        ref double mk = ref MemoryMarshal.GetReference(masks);
        ref double sm = ref MemoryMarshal.GetReference(symbolic.Masks);
        bool recordPsi = symbolicValues.Length != 0;
        ref double nv = ref MemoryMarshal.GetReference(nodeValues);
        ref double ev = ref MemoryMarshal.GetReference(edgeValues);
        ref double sv = ref MemoryMarshal.GetReference(splineValues);
        ref double pv = ref MemoryMarshal.GetReference(symbolicValues);
        Span<double> b = stackalloc double[Slots];
        ref double window = ref MemoryMarshal.GetReference(b);
        input.CopyTo(nodeValues);
        nodeValues.Slice(_inputs).Clear();
        for (int l = 0; l < _depth; l++)
        {
            int nIn = _w[l], nOut = _sub[l + 1];
            for (int i = 0; i < nIn; i++)
            {
                double x = Unsafe.Add(ref nv, _layout.NodeOffset[l] + i);
                int start = Basis(x, ref Unsafe.Add(ref kt, _layout.KnotOffset[l] + i * _row), ref window);
                double bx = Base(x);
                int e = i * nOut;
                int c = _layout.CoefficientOffset[l] + e * _c + start;
                for (int j = 0; j < nOut; j++, e++)
                {
                    int edge = _layout.EdgeOffset[l] + e;
                    double spline = Window(ref p, c, ref window);
                    double phi = Unsafe.Add(ref mk, _layout.MaskOffset[l] + e) * (Unsafe.Add(ref p, _layout.ScaleBaseOffset[l] + e) * bx + Unsafe.Add(ref p, _layout.ScaleSplineOffset[l] + e) * spline);
                    double psi = Psi(in symbolic, ref sm, edge, x);
                    Unsafe.Add(ref sv, edge) = spline;
                    Unsafe.Add(ref ev, edge) = phi;
                    if (recordPsi)
                    {
                        Unsafe.Add(ref pv, edge) = psi;
                    }

                    Unsafe.Add(ref nv, _layout.SubnodeOffset[l + 1] + j) += phi + psi;
                    c += _c;
                }
            }

            Multiply(l + 1, ref nv);
        }
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override double BackwardSymbolic(ReadOnlySpan<double> input, ReadOnlySpan<double> target, bool targetIsLabel, double scale, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic, Span<double> parameterGradient, Span<double> affineGradient, Span<double> inputGradient, in EdgeStatisticGradient statistics)
    {
        Check(input.Length, target.Length, parameters.Length, knots.Length, masks.Length);
        CheckGradients(parameterGradient.Length, inputGradient.Length);
        if (affineGradient.Length != 0 && affineGradient.Length != _edges * SymbolicEdgeSpans.AffinePerEdge)
        {
            ThrowAffineGradientMismatch(_edges, affineGradient.Length);
        }

        bool regularized = statistics.IsActive;
        if (regularized)
        {
            statistics.Validate(_edges, _nodes);
        }

        symbolic.Validate(_edges);
        ref double p = ref MemoryMarshal.GetReference(parameters);
        ref double mk = ref MemoryMarshal.GetReference(masks);
        ref double sm = ref MemoryMarshal.GetReference(symbolic.Masks);
        ref double gp = ref MemoryMarshal.GetReference(parameterGradient);
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
                double x = Unsafe.Add(ref v, n);
                double bx = KeepBasis(l, i, n, knots, ref v, ref st, ref bs, ref rs);
                ref double b = ref Unsafe.Add(ref bs, n * KeptWindow);
                int e = i * nOut;
                int c = _layout.CoefficientOffset[l] + e * _c + Unsafe.Add(ref st, n);
                for (int j = 0; j < nOut; j++, e++)
                {
                    Unsafe.Add(ref y0, j) += EdgeValue(l, e, c, bx, x, ref p, ref mk, ref b, in symbolic, ref sm);
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
                double x = Unsafe.Add(ref v, n);
                ref double b = ref Unsafe.Add(ref bs, n * KeptWindow);
                double bx = Unsafe.Add(ref rs, 2 * n);
                double dbx = Unsafe.Add(ref rs, 2 * n + 1);
                double gx = 0.0;
                int e = i * nOut;
                int c = _layout.CoefficientOffset[l] + e * _c + Unsafe.Add(ref st, n);
                for (int j = 0; j < nOut; j++, e++)
                {
                    int edge = _layout.EdgeOffset[l] + e;
                    double mask = Unsafe.Add(ref mk, _layout.MaskOffset[l] + e);
                    double upstream = Unsafe.Add(ref upstreams, j);

                    // Numeric branch (a masked-out spline contributes nothing, statistic terms included).
                    if (mask != 0.0)
                    {
                        gx += SplineEdgeBackward(l, e, c, mask, upstream, bx, dbx, regularized, ref p, ref gp, ref b, ref ea, ref em);
                    }

                    // Symbolic branch: psi = smask * (c * f(a * x + b) + d).
                    if (Unsafe.Add(ref sm, edge) != 0.0)
                    {
                        gx += SymbolicDispatch.Backpropagate(in symbolic, edge, x, upstream, affineGradient);
                    }

                    c += _c;
                }

                if (regularized)
                {
                    gx += Unsafe.Add(ref nb, n) * (x - Unsafe.Add(ref nm, n));
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
    /// MixedKernelEmitter's φ + ψ of edge e of layer <paramref name="l"/> at <paramref name="x"/> (ForwardSymbolicCore and
    /// BackwardSymbolicCore's forward): a masked-out spline skips its window.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private double EdgeValue(int l, int e, int c, double bx, double x, ref double p, ref double mk, ref double window, in SymbolicEdgeSpans symbolic, ref double sm)
    {
        double mask = Unsafe.Add(ref mk, _layout.MaskOffset[l] + e);
        double phi = mask == 0.0 ? 0.0 : mask * (Unsafe.Add(ref p, _layout.ScaleBaseOffset[l] + e) * bx + Unsafe.Add(ref p, _layout.ScaleSplineOffset[l] + e) * Window(ref p, c, ref window));
        return phi + Psi(in symbolic, ref sm, _layout.EdgeOffset[l] + e, x);
    }

    /// <summary>MixedKernelEmitter's ψ of an edge: skips the dispatch when the edge's symbolic mask is 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static double Psi(in SymbolicEdgeSpans symbolic, ref double sm, int edge, double x) =>
        Unsafe.Add(ref sm, edge) == 0.0 ? 0.0 : SymbolicDispatch.Psi(in symbolic, edge, x);
}
