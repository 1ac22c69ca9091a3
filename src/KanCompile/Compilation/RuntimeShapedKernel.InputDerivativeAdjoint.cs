using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KanCompile.Compilation;

/// <summary>
/// The loss gradient through the input derivatives (InputDerivativeAdjointEmitter's LossGradientCore, SeedOutputAdjoints
/// and DerivativeAdjointPass): per sample the derivative pass, the caller's loss and its sensitivities, then the adjoint of
/// the pass, with the emitted loops and operation order, so losses and gradients are the compiled kernel's bits.
/// </summary>
internal sealed partial class RuntimeShapedKernel<TOrder>
{
    /// <inheritdoc/>
    public override double InputDerivativeLossGradient(ReadOnlySpan<double> inputs, int firstSample, int count, SecondDerivatives second, InputDerivativeLoss loss, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, Span<double> parameterGradient) =>
        LossGradientCore(inputs, firstSample, count, second, loss, parameters, knots, masks, default, false, parameterGradient, default);

    /// <inheritdoc/>
    public override double InputDerivativeLossGradientSymbolic(ReadOnlySpan<double> inputs, int firstSample, int count, SecondDerivatives second, InputDerivativeLoss loss, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic, Span<double> parameterGradient, Span<double> affineGradient)
    {
        symbolic.Validate(_edges);
        if (affineGradient.Length != 0 && affineGradient.Length != _edges * SymbolicEdgeSpans.AffinePerEdge)
        {
            ThrowAffineGradientMismatch(_edges, affineGradient.Length);
        }

        return LossGradientCore(inputs, firstSample, count, second, loss, parameters, knots, masks, in symbolic, true, parameterGradient, affineGradient);
    }

    /// <summary>Sum of the loss over the samples; adds its parameter (and affine) gradient.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double LossGradientCore(ReadOnlySpan<double> inputs, int firstSample, int count, SecondDerivatives second, InputDerivativeLoss loss, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic, bool withSymbolic, Span<double> parameterGradient, Span<double> affineGradient)
    {
        int inputCount = _inputs;
        Check(inputCount, _outputs, parameters.Length, knots.Length, masks.Length);
        CheckInputDerivativeLossBuffers(inputCount, _layout.ParameterCount, count, loss, second, inputs.Length, parameterGradient.Length);
        int entries = HessianEntries(second, out int[] pairTable);
        int stride = 1 + inputCount + entries;
        int hessianLength = HessianLength(inputCount, _outputs, second);
        int jetLength = _nodes * stride;
        int userOffset = 2 * jetLength + _layout.NodeOffset[_depth] * DerivativeWindow;
        int userLength = _outputs * (1 + inputCount) + hessianLength;
        Buffers buffers = _buffers.Value!;
        double[] scratch = buffers.DerivativeScratch(userOffset + 2 * userLength);
        ref double jets = ref MemoryMarshal.GetArrayDataReference(scratch);
        ref double adjoints = ref Unsafe.Add(ref jets, jetLength);
        ref double windows = ref Unsafe.Add(ref jets, 2 * jetLength);
        ref int pairs = ref MemoryMarshal.GetArrayDataReference(pairTable);
        ref int starts = ref MemoryMarshal.GetArrayDataReference(buffers.DerivativeStarts);
        ref double p = ref MemoryMarshal.GetReference(parameters);
        ref double gp = ref MemoryMarshal.GetReference(parameterGradient);
        ref double kt = ref MemoryMarshal.GetReference(knots);
        ref double mk = ref MemoryMarshal.GetReference(masks);
        var values = new Span<double>(scratch, userOffset, userLength);
        var sensitivities = new Span<double>(scratch, userOffset + userLength, userLength);
        int jacobianLength = _outputs * inputCount;
        Span<double> output = values.Slice(0, _outputs), jacobian = values.Slice(_outputs, jacobianLength), hessian = values.Slice(_outputs + jacobianLength, hessianLength);
        Span<double> outputSensitivity = sensitivities.Slice(0, _outputs), jacobianSensitivity = sensitivities.Slice(_outputs, jacobianLength), hessianSensitivity = sensitivities.Slice(_outputs + jacobianLength, hessianLength);
        bool withSecond = second != SecondDerivatives.None;
        double total = 0.0;
        for (int s = 0; s < count; s++)
        {
            ReadOnlySpan<double> input = inputs.Slice(s * inputCount, inputCount);
            DerivativeForwardPass(input, ref p, ref kt, ref mk, in symbolic, withSymbolic, withSecond, entries, stride, ref pairs, ref jets, ref windows, ref starts);
            CopyOutputJets(ref jets, stride, entries, second, ref pairs, output, jacobian, hessian);
            sensitivities.Clear();
            total += loss.Evaluate(firstSample + s, input, output, jacobian, hessian, outputSensitivity, jacobianSensitivity, hessianSensitivity);
            MemoryMarshal.CreateSpan(ref adjoints, jetLength).Clear();
            SeedOutputAdjoints(ref adjoints, stride, entries, second, ref pairs, outputSensitivity, jacobianSensitivity, hessianSensitivity);
            DerivativeAdjointPass(ref p, ref gp, ref mk, in symbolic, withSymbolic, withSecond, entries, stride, ref pairs, ref jets, ref adjoints, ref windows, ref starts, affineGradient);
        }

        return total;
    }

    /// <summary>The output nodes' adjoint jets from the loss's sensitivities (a full Hessian's H_ab and H_ba share entry (a, b)).</summary>
    private void SeedOutputAdjoints(ref double adjoints, int stride, int entries, SecondDerivatives second, ref int pairs, ReadOnlySpan<double> outputSensitivity, ReadOnlySpan<double> jacobianSensitivity, ReadOnlySpan<double> hessianSensitivity)
    {
        int inputCount = _inputs, outputs = _layout.NodeOffset[_depth];
        for (int o = 0; o < _outputs; o++)
        {
            ref double adjoint = ref Unsafe.Add(ref adjoints, (outputs + o) * stride);
            adjoint = outputSensitivity[o];
            for (int a = 0; a < inputCount; a++)
            {
                Unsafe.Add(ref adjoint, 1 + a) = jacobianSensitivity[o * inputCount + a];
            }

            for (int q = 0; q < entries; q++)
            {
                if (second == SecondDerivatives.Diagonal)
                {
                    Unsafe.Add(ref adjoint, 1 + inputCount + q) = hessianSensitivity[o * inputCount + q];
                    continue;
                }

                int a = Unsafe.Add(ref pairs, 2 * q), b = Unsafe.Add(ref pairs, 2 * q + 1);
                double sensitivity = hessianSensitivity[(o * inputCount + a) * inputCount + b];
                Unsafe.Add(ref adjoint, 1 + inputCount + q) = a == b ? sensitivity : sensitivity + hessianSensitivity[(o * inputCount + b) * inputCount + a];
            }
        }
    }

    /// <summary>The adjoint of DerivativeForwardPass from the seeded outputs back: parameter (and affine) gradients, and the inner nodes' adjoint jets.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DerivativeAdjointPass(ref double p, ref double gp, ref double mk, in SymbolicEdgeSpans symbolic, bool withSymbolic, bool withThird, int entries, int stride, ref int pairs, ref double jets, ref double adjoints, ref double windows, ref int starts, Span<double> affineGradient)
    {
        int inputCount = _inputs;
        ref double sm = ref MemoryMarshal.GetReference(symbolic.Masks);
        for (int l = _depth - 1; l >= 0; l--)
        {
            int nIn = _w[l], nOut = _sub[l + 1];
            MultiplyAdjoints(l + 1, ref jets, ref adjoints, stride, entries, ref pairs);
            int nodeOffset = _layout.NodeOffset[l], coefficientOffset = _layout.CoefficientOffset[l];
            int maskOffset = _layout.MaskOffset[l], scaleBaseOffset = _layout.ScaleBaseOffset[l], scaleSplineOffset = _layout.ScaleSplineOffset[l];
            int edgeOffset = _layout.EdgeOffset[l], targetOffset = _layout.SubnodeOffset[l + 1];
            for (int i = 0; i < nIn; i++)
            {
                int node = nodeOffset + i;
                ref double source = ref Unsafe.Add(ref jets, node * stride);
                double x = source;
                ref double kept = ref Unsafe.Add(ref windows, node * DerivativeWindow);
                int start = Unsafe.Add(ref starts, node);
                ref double b = ref kept, da = ref Unsafe.Add(ref kept, Order + 1), db = ref Unsafe.Add(ref kept, 2 * (Order + 1)), dc = ref Unsafe.Add(ref kept, 3 * (Order + 1));
                // Slots r ≤ 3 of b, b', b'' in locals read once per node, as the emitted code keeps b0..db3: read from memory in the
                // loop, the JIT folds the loads into commuted adds, and where two NaNs of opposite sign meet the other one wins.
                double b0 = b, b1 = Order >= 1 ? Unsafe.Add(ref b, 1) : 0.0, b2 = Order >= 2 ? Unsafe.Add(ref b, 2) : 0.0, b3 = Order >= 3 ? Unsafe.Add(ref b, 3) : 0.0;
                double da0 = da, da1 = Order >= 1 ? Unsafe.Add(ref da, 1) : 0.0, da2 = Order >= 2 ? Unsafe.Add(ref da, 2) : 0.0, da3 = Order >= 3 ? Unsafe.Add(ref da, 3) : 0.0;
                double db0 = db, db1 = Order >= 1 ? Unsafe.Add(ref db, 1) : 0.0, db2 = Order >= 2 ? Unsafe.Add(ref db, 2) : 0.0, db3 = Order >= 3 ? Unsafe.Add(ref db, 3) : 0.0;
                double bx = Unsafe.Add(ref kept, 4 * (Order + 1)), bx1 = Unsafe.Add(ref kept, 4 * (Order + 1) + 1), bx2 = Unsafe.Add(ref kept, 4 * (Order + 1) + 2), bx3 = Unsafe.Add(ref kept, 4 * (Order + 1) + 3);
                int diagonalEntry = entries == 0 ? -1 : entries == inputCount ? i : i * (2 * inputCount - i + 1) / 2;
                int e = i * nOut;
                int coefficient = coefficientOffset + e * _c + start;
                ref double c = ref Unsafe.Add(ref p, coefficient);
                ref double gc = ref Unsafe.Add(ref gp, coefficient);
                ref double sourceAdjoint = ref Unsafe.Add(ref adjoints, node * stride);
                for (int j = 0; j < nOut; j++, e++)
                {
                    double mask = Unsafe.Add(ref mk, maskOffset + e);
                    double scaleBase = Unsafe.Add(ref p, scaleBaseOffset + e);
                    double scaleSpline = Unsafe.Add(ref p, scaleSplineOffset + e);
                    ref double targetAdjoint = ref Unsafe.Add(ref adjoints, (targetOffset + j) * stride);
                    double alpha0 = targetAdjoint;
                    double alpha1, alpha2;
                    if (l == 0)
                    {
                        alpha1 = Unsafe.Add(ref targetAdjoint, 1 + i);
                        alpha2 = diagonalEntry >= 0 ? Unsafe.Add(ref targetAdjoint, 1 + inputCount + diagonalEntry) : 0.0;
                    }
                    else
                    {
                        alpha1 = 0.0;
                        alpha2 = 0.0;
                        for (int a = 1; a <= inputCount; a++)
                        {
                            alpha1 += Unsafe.Add(ref targetAdjoint, a) * Unsafe.Add(ref source, a);
                        }

                        for (int q = 0; q < entries; q++)
                        {
                            double bar = Unsafe.Add(ref targetAdjoint, 1 + inputCount + q);
                            alpha1 += bar * Unsafe.Add(ref source, 1 + inputCount + q);
                            alpha2 += bar * Unsafe.Add(ref source, 1 + Unsafe.Add(ref pairs, 2 * q)) * Unsafe.Add(ref source, 1 + Unsafe.Add(ref pairs, 2 * q + 1));
                        }
                    }

                    double spline0 = Window(ref c, 0, ref b);
                    double spline1 = Window(ref c, 0, ref da);
                    double spline2 = Window(ref c, 0, ref db);
                    Unsafe.Add(ref gp, scaleBaseOffset + e) += mask * (alpha0 * bx + alpha1 * bx1 + alpha2 * bx2);
                    Unsafe.Add(ref gp, scaleSplineOffset + e) += mask * (alpha0 * spline0 + alpha1 * spline1 + alpha2 * spline2);
                    double gs = mask * scaleSpline;

                    // gc_r += gs·(α0·b_r + α1·b'_r + α2·b''_r) for r = 0..k.
                    gc += gs * (alpha0 * b0 + alpha1 * da0 + alpha2 * db0);
                    if (Order >= 1)
                    {
                        Unsafe.Add(ref gc, 1) += gs * (alpha0 * b1 + alpha1 * da1 + alpha2 * db1);
                    }

                    if (Order >= 2)
                    {
                        Unsafe.Add(ref gc, 2) += gs * (alpha0 * b2 + alpha1 * da2 + alpha2 * db2);
                    }

                    if (Order >= 3)
                    {
                        Unsafe.Add(ref gc, 3) += gs * (alpha0 * b3 + alpha1 * da3 + alpha2 * db3);
                    }

                    for (int r = 4; r <= Order; r++)
                    {
                        Unsafe.Add(ref gc, r) += gs * (alpha0 * Unsafe.Add(ref b, r) + alpha1 * Unsafe.Add(ref da, r) + alpha2 * Unsafe.Add(ref db, r));
                    }

                    double psi1 = 0.0, psi2 = 0.0, psi3 = 0.0;
                    if (withSymbolic && Unsafe.Add(ref sm, edgeOffset + e) != 0.0)
                    {
                        SymbolicDispatch.BackpropagateDerivatives(in symbolic, edgeOffset + e, x, alpha0, alpha1, alpha2, withThird, affineGradient, out psi1, out psi2, out psi3);
                    }

                    if (l > 0)
                    {
                        // Inputs need no adjoint: only inner nodes pass theirs on.
                        double phi1 = mask * (scaleBase * bx1 + scaleSpline * spline1) + psi1;
                        double phi2 = mask * (scaleBase * bx2 + scaleSpline * spline2) + psi2;
                        double phi3 = mask * (scaleBase * bx3 + scaleSpline * Window(ref c, 0, ref dc)) + psi3;
                        sourceAdjoint += alpha0 * phi1 + alpha1 * phi2 + alpha2 * phi3;
                        for (int a = 1; a <= inputCount; a++)
                        {
                            Unsafe.Add(ref sourceAdjoint, a) += phi1 * Unsafe.Add(ref targetAdjoint, a);
                        }

                        for (int q = 0; q < entries; q++)
                        {
                            double bar = Unsafe.Add(ref targetAdjoint, 1 + inputCount + q);
                            int first = 1 + Unsafe.Add(ref pairs, 2 * q), second = 1 + Unsafe.Add(ref pairs, 2 * q + 1);
                            Unsafe.Add(ref sourceAdjoint, 1 + inputCount + q) += phi1 * bar;
                            Unsafe.Add(ref sourceAdjoint, first) += phi2 * bar * Unsafe.Add(ref source, second);
                            Unsafe.Add(ref sourceAdjoint, second) += phi2 * bar * Unsafe.Add(ref source, first);
                        }
                    }

                    c = ref Unsafe.Add(ref c, _c);
                    gc = ref Unsafe.Add(ref gc, _c);
                }
            }
        }
    }
}
