using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using KanCompile.Generators.Model;

namespace KanCompile.Compilation;

/// <summary>
/// The input-derivative pass (InputDerivativeEmitter's InputDerivativesCore, DerivativeForwardPass, CopyOutputJets,
/// BasisJet and BaseJet): every node's jet (value, gradient, the Hessian entries the call asks for) carried through the
/// edges, with the emitted loops and operation order, so outputs, Jacobians and Hessians are the compiled kernel's bits.
/// The symbolic form calls <see cref="SymbolicDispatch"/> where the emitted code does. The emitted thread-static scratch
/// is this instance's per-thread <see cref="Buffers"/>; the Hessian pair tables are built once per instance.
/// </summary>
internal sealed partial class RuntimeShapedKernel<TOrder>
{
    /// <summary>Doubles kept per inner node for the adjoint: basis window and its three derivatives, b(x) and its three derivatives.</summary>
    private static int DerivativeWindow => 4 * (Order + 1) + 4;

    /// <inheritdoc/>
    public override void InputDerivatives(ReadOnlySpan<double> input, Span<double> output, Span<double> jacobian, Span<double> hessian, SecondDerivatives second, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks) =>
        InputDerivativesCore(input, output, jacobian, hessian, second, parameters, knots, masks, default, false);

    /// <inheritdoc/>
    public override void InputDerivativesSymbolic(ReadOnlySpan<double> input, Span<double> output, Span<double> jacobian, Span<double> hessian, SecondDerivatives second, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic)
    {
        symbolic.Validate(_edges);
        InputDerivativesCore(input, output, jacobian, hessian, second, parameters, knots, masks, in symbolic, true);
    }

    /// <summary>One sample's outputs, Jacobian and Hessian entries (with symbolic branches when <paramref name="withSymbolic"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void InputDerivativesCore(ReadOnlySpan<double> input, Span<double> output, Span<double> jacobian, Span<double> hessian, SecondDerivatives second, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic, bool withSymbolic)
    {
        Check(input.Length, _outputs, parameters.Length, knots.Length, masks.Length);
        CheckInputDerivativeBuffers(_inputs, _outputs, second, input.Length, output.Length, jacobian.Length, hessian.Length);
        int entries = HessianEntries(second, out int[] pairTable);
        int stride = 1 + _inputs + entries;
        Buffers buffers = _buffers.Value!;
        double[] scratch = buffers.DerivativeScratch(_nodes * stride + _layout.NodeOffset[_depth] * DerivativeWindow);
        ref double jets = ref MemoryMarshal.GetArrayDataReference(scratch);
        ref double windows = ref Unsafe.Add(ref jets, _nodes * stride);
        DerivativeForwardPass(input, ref MemoryMarshal.GetReference(parameters), ref MemoryMarshal.GetReference(knots), ref MemoryMarshal.GetReference(masks), in symbolic, withSymbolic, second != SecondDerivatives.None, entries, stride, ref MemoryMarshal.GetArrayDataReference(pairTable), ref jets, ref windows, ref MemoryMarshal.GetArrayDataReference(buffers.DerivativeStarts));
        CopyOutputJets(ref jets, stride, entries, second, ref MemoryMarshal.GetArrayDataReference(pairTable), output, jacobian, hessian);
    }

    /// <summary>Hessian entries per jet for <paramref name="second"/>, and the (a, b) pair table that names them.</summary>
    private int HessianEntries(SecondDerivatives second, out int[] pairs)
    {
        pairs = second == SecondDerivatives.Full ? _fullHessianPairs : _diagonalHessianPairs;
        return second == SecondDerivatives.None ? 0 : pairs.Length / 2;
    }

    /// <summary>
    /// The jets of every node for one sample (stride 1 + inputs + entries), keeping each inner node's basis window with its
    /// derivatives and b(x) with its derivatives in <paramref name="windows"/> and its window start in <paramref name="starts"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DerivativeForwardPass(ReadOnlySpan<double> input, ref double p, ref double kt, ref double mk, in SymbolicEdgeSpans symbolic, bool withSymbolic, bool withSecond, int entries, int stride, ref int pairs, ref double jets, ref double windows, ref int starts)
    {
        int inputCount = _inputs;
        MemoryMarshal.CreateSpan(ref jets, _nodes * stride).Clear();
        ref double sm = ref MemoryMarshal.GetReference(symbolic.Masks);
        for (int i = 0; i < inputCount; i++)
        {
            Unsafe.Add(ref jets, i * stride) = input[i];
        }

        for (int l = 0; l < _depth; l++)
        {
            // Values as ForwardCore; gradients and Hessian entries by the chain rule.
            int nIn = _w[l], nOut = _sub[l + 1];
            int nodeOffset = _layout.NodeOffset[l], knotOffset = _layout.KnotOffset[l], coefficientOffset = _layout.CoefficientOffset[l];
            int maskOffset = _layout.MaskOffset[l], scaleBaseOffset = _layout.ScaleBaseOffset[l], scaleSplineOffset = _layout.ScaleSplineOffset[l];
            int edgeOffset = _layout.EdgeOffset[l], targetOffset = _layout.SubnodeOffset[l + 1];
            for (int i = 0; i < nIn; i++)
            {
                int node = nodeOffset + i;
                ref double source = ref Unsafe.Add(ref jets, node * stride);
                double x = source;
                ref double kept = ref Unsafe.Add(ref windows, node * DerivativeWindow);
                int start = BasisJet(x, ref Unsafe.Add(ref kt, knotOffset + i * _row), ref kept);
                Unsafe.Add(ref starts, node) = start;
                double bx = BaseJet(x, out double bx1, out double bx2, out double bx3);
                Unsafe.Add(ref kept, 4 * (Order + 1)) = bx;
                Unsafe.Add(ref kept, 4 * (Order + 1) + 1) = bx1;
                Unsafe.Add(ref kept, 4 * (Order + 1) + 2) = bx2;
                Unsafe.Add(ref kept, 4 * (Order + 1) + 3) = bx3;
                ref double b = ref kept, da = ref Unsafe.Add(ref kept, Order + 1), db = ref Unsafe.Add(ref kept, 2 * (Order + 1));
                int diagonalEntry = entries == 0 ? -1 : entries == inputCount ? i : i * (2 * inputCount - i + 1) / 2;
                int e = i * nOut;
                ref double c = ref Unsafe.Add(ref p, coefficientOffset + e * _c + start);
                for (int j = 0; j < nOut; j++, e++)
                {
                    double mask = Unsafe.Add(ref mk, maskOffset + e);
                    double scaleBase = Unsafe.Add(ref p, scaleBaseOffset + e);
                    double scaleSpline = Unsafe.Add(ref p, scaleSplineOffset + e);
                    double phi1 = mask * (scaleBase * bx1 + scaleSpline * Window(ref c, 0, ref da));
                    double phi2 = mask * (scaleBase * bx2 + scaleSpline * Window(ref c, 0, ref db));
                    ref double target = ref Unsafe.Add(ref jets, (targetOffset + j) * stride);
                    if (withSymbolic)
                    {
                        double phi = mask == 0.0 ? 0.0 : mask * (scaleBase * bx + scaleSpline * Window(ref c, 0, ref b));
                        double psi = 0.0;
                        if (Unsafe.Add(ref sm, edgeOffset + e) != 0.0)
                        {
                            psi = SymbolicDispatch.PsiDerivatives(in symbolic, edgeOffset + e, x, withSecond, out double psi1, out double psi2);
                            phi1 += psi1;
                            phi2 += psi2;
                        }

                        target += phi + psi;
                    }
                    else
                    {
                        double spline = mask * scaleSpline;
                        double sum = Math.FusedMultiplyAdd(bx, mask * scaleBase, target);
                        target = WindowSum(ref b, spline, ref c, sum);
                    }

                    if (l == 0)
                    {
                        // The input's gradient is the unit vector e_i and its Hessian 0.
                        Unsafe.Add(ref target, 1 + i) += phi1;
                        if (diagonalEntry >= 0)
                        {
                            Unsafe.Add(ref target, 1 + inputCount + diagonalEntry) += phi2;
                        }
                    }
                    else
                    {
                        for (int a = 1; a <= inputCount; a++)
                        {
                            Unsafe.Add(ref target, a) += phi1 * Unsafe.Add(ref source, a);
                        }

                        for (int q = 0; q < entries; q++)
                        {
                            Unsafe.Add(ref target, 1 + inputCount + q) += phi2 * Unsafe.Add(ref source, 1 + Unsafe.Add(ref pairs, 2 * q)) * Unsafe.Add(ref source, 1 + Unsafe.Add(ref pairs, 2 * q + 1)) + phi1 * Unsafe.Add(ref source, 1 + inputCount + q);
                        }
                    }

                    c = ref Unsafe.Add(ref c, _c);
                }
            }

            MultiplyJets(l + 1, ref jets, stride, entries, ref pairs);
        }
    }

    /// <summary>The output nodes' jets in the caller's layouts: values, Jacobian [o][a], Hessian [o][a] (diagonal) or [o][a][b] (full, mirrored).</summary>
    private void CopyOutputJets(ref double jets, int stride, int entries, SecondDerivatives second, ref int pairs, Span<double> output, Span<double> jacobian, Span<double> hessian)
    {
        int inputCount = _inputs, outputs = _layout.NodeOffset[_depth];
        for (int o = 0; o < _outputs; o++)
        {
            ref double jet = ref Unsafe.Add(ref jets, (outputs + o) * stride);
            output[o] = jet;
            for (int a = 0; a < inputCount; a++)
            {
                jacobian[o * inputCount + a] = Unsafe.Add(ref jet, 1 + a);
            }

            for (int q = 0; q < entries; q++)
            {
                double value = Unsafe.Add(ref jet, 1 + inputCount + q);
                if (second == SecondDerivatives.Diagonal)
                {
                    hessian[o * inputCount + q] = value;
                }
                else
                {
                    int a = Unsafe.Add(ref pairs, 2 * q), b = Unsafe.Add(ref pairs, 2 * q + 1);
                    hessian[(o * inputCount + a) * inputCount + b] = value;
                    hessian[(o * inputCount + b) * inputCount + a] = value;
                }
            }
        }
    }

    /// <summary>
    /// BasisEmitter's window of <paramref name="x"/> for k = <see cref="Order"/> with its first three derivatives (slot
    /// level·(k + 1) + r), as InputDerivativeEmitter writes it: Basis's operations on the values, each derivative level by the
    /// product rule; at triangle level j the derivatives past j are 0 and not computed. With <see cref="KernelBeyondGrid.Smooth"/>
    /// the jet of the nearest point of [t_k, t_{G+k}], the values along the tangent (Basis's slope from the order k − 1 values).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private int BasisJet(double x, ref double row, ref double window)
    {
        int mu;
        double beyond = 0.0;
        if (_continues)
        {
            // x becomes the nearest point of [t_k, t_{G+k}], whose jet this is; the values continue along the tangent by beyond.
            mu = ContinuedInterval(x, ref row, out x, out beyond);
        }
        else
        {
            if (!(x >= Knot(ref row, 0) && x < Knot(ref row, _intervals)))
            {
                MemoryMarshal.CreateSpan(ref window, 4 * (Order + 1)).Clear();
                return 0;
            }

            mu = Interval(x, ref row);
        }

        if (Order == 0)
        {
            MemoryMarshal.CreateSpan(ref window, 4).Clear();
            window = 1.0;
            return mu;
        }

        if (Order > 3)
        {
            return WideBasisJet(x, ref row, mu, ref window, beyond);
        }

        ref double inv = ref KnotDistances(x, ref row, mu, out double left1, out double right1, out double left2, out double right2, out double left3, out double right3);
        double n0 = 1.0;
        double n1 = 0.0;
        double n2 = 0.0;
        double n3 = 0.0;
        double na0 = 0.0;
        double na1 = 0.0;
        double na2 = 0.0;
        double na3 = 0.0;
        double nb0 = 0.0;
        double nb1 = 0.0;
        double nb2 = 0.0;
        double nb3 = 0.0;
        double nc0 = 0.0;
        double nc1 = 0.0;
        double nc2 = 0.0;
        double nc3 = 0.0;
        double saved, saveda, savedb, savedc, temp, tempa, tempb;
        double p0 = n0, p1 = 0.0, p2 = 0.0; // the order k − 1 values for the continued tangent's slope, as Basis keeps them (k = 1: before level 1)
        saved = 0.0;
        saveda = 0.0;
        temp = n0 * inv;
        n0 = saved + right1 * temp;
        na0 = saveda - temp;
        saved = left1 * temp;
        saveda = temp;
        n1 = saved;
        na1 = saveda;
        if (Order >= 2)
        {
            if (Order == 2)
            {
                p0 = n0;
                p1 = n1;
            }

            saved = 0.0;
            saveda = 0.0;
            savedb = 0.0;
            temp = n0 * Unsafe.Add(ref inv, 1);
            tempa = na0 * Unsafe.Add(ref inv, 1);
            n0 = saved + right1 * temp;
            na0 = saveda + right1 * tempa - temp;
            nb0 = savedb - 2.0 * tempa;
            saved = left2 * temp;
            saveda = left2 * tempa + temp;
            savedb = 2.0 * tempa;
            temp = n1 * Unsafe.Add(ref inv, 2);
            tempa = na1 * Unsafe.Add(ref inv, 2);
            n1 = saved + right2 * temp;
            na1 = saveda + right2 * tempa - temp;
            nb1 = savedb - 2.0 * tempa;
            saved = left1 * temp;
            saveda = left1 * tempa + temp;
            savedb = 2.0 * tempa;
            n2 = saved;
            na2 = saveda;
            nb2 = savedb;
        }

        if (Order >= 3)
        {
            p0 = n0;
            p1 = n1;
            p2 = n2;
            saved = 0.0;
            saveda = 0.0;
            savedb = 0.0;
            savedc = 0.0;
            temp = n0 * Unsafe.Add(ref inv, 3);
            tempa = na0 * Unsafe.Add(ref inv, 3);
            tempb = nb0 * Unsafe.Add(ref inv, 3);
            n0 = saved + right1 * temp;
            na0 = saveda + right1 * tempa - temp;
            nb0 = savedb + right1 * tempb - 2.0 * tempa;
            nc0 = savedc - 3.0 * tempb;
            saved = left3 * temp;
            saveda = left3 * tempa + temp;
            savedb = left3 * tempb + 2.0 * tempa;
            savedc = 3.0 * tempb;
            temp = n1 * Unsafe.Add(ref inv, 4);
            tempa = na1 * Unsafe.Add(ref inv, 4);
            tempb = nb1 * Unsafe.Add(ref inv, 4);
            n1 = saved + right2 * temp;
            na1 = saveda + right2 * tempa - temp;
            nb1 = savedb + right2 * tempb - 2.0 * tempa;
            nc1 = savedc - 3.0 * tempb;
            saved = left2 * temp;
            saveda = left2 * tempa + temp;
            savedb = left2 * tempb + 2.0 * tempa;
            savedc = 3.0 * tempb;
            temp = n2 * Unsafe.Add(ref inv, 5);
            tempa = na2 * Unsafe.Add(ref inv, 5);
            tempb = nb2 * Unsafe.Add(ref inv, 5);
            n2 = saved + right3 * temp;
            na2 = saveda + right3 * tempa - temp;
            nb2 = savedb + right3 * tempb - 2.0 * tempa;
            nc2 = savedc - 3.0 * tempb;
            saved = left1 * temp;
            saveda = left1 * tempa + temp;
            savedb = left1 * tempb + 2.0 * tempa;
            savedc = 3.0 * tempb;
            n3 = saved;
            na3 = saveda;
            nb3 = savedb;
            nc3 = savedc;
        }

        int start = mu - Order;
        if (_continues)
        {
            // Tangent line beyond the range: value + beyond·slope (Basis's slope), no curvature; the first derivatives stay the jet's.
            Slopes(ref row, mu, p0, p1, p2, out double e0, out double e1, out double e2, out double e3);
            n0 += beyond * e0;
            n1 += beyond * e1;
            n2 += beyond * e2;
            n3 += beyond * e3;
            if (beyond != 0.0)
            {
                (nb0, nb1, nb2, nb3) = (0.0, 0.0, 0.0, 0.0);
                (nc0, nc1, nc2, nc3) = (0.0, 0.0, 0.0, 0.0);
            }
        }
        else
        {
            ShiftPadding(start, ref n0, ref n1, ref n2, ref n3);
            ShiftPadding(start, ref na0, ref na1, ref na2, ref na3);
            ShiftPadding(start, ref nb0, ref nb1, ref nb2, ref nb3);
            ShiftPadding(start, ref nc0, ref nc1, ref nc2, ref nc3);
            start = Math.Clamp(start, 0, _g - 1);
        }

        StoreWindow(ref window, n0, n1, n2, n3);
        StoreWindow(ref Unsafe.Add(ref window, Order + 1), na0, na1, na2, na3);
        StoreWindow(ref Unsafe.Add(ref window, 2 * (Order + 1)), nb0, nb1, nb2, nb3);
        StoreWindow(ref Unsafe.Add(ref window, 3 * (Order + 1)), nc0, nc1, nc2, nc3);
        return start;
    }
}
