using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using KanCompile.Generators.Emit;
using KanCompile.Generators.Model;

namespace KanCompile.Compilation;

/// <summary>The batch path (BatchKernelEmitter): folding, the blocked forward, loss gradients and trace.</summary>
internal sealed partial class RuntimeShapedKernel<TOrder>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void ForwardBatch(ReadOnlySpan<double> inputs, Span<double> outputs, int count, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks)
    {
        Check(_inputs, _outputs, parameters.Length, knots.Length, masks.Length);
        if (count < 0 || inputs.Length < count * _inputs || outputs.Length < count * _outputs)
        {
            ThrowBatchMismatch(count, _inputs, _outputs, inputs.Length, outputs.Length);
        }

        Buffers buffers = _buffers.Value!;
        Span<double> folded = buffers.Folded.Span;
        Fold(parameters, masks, folded);
        ref double f = ref MemoryMarshal.GetReference(folded);
        ref double kt = ref MemoryMarshal.GetReference(knots);
        ref double sc = ref MemoryMarshal.GetArrayDataReference(buffers.ForwardScratch);
        ref int st = ref MemoryMarshal.GetArrayDataReference(buffers.ForwardStarts);
        ref double x = ref MemoryMarshal.GetReference(inputs);
        ref double y = ref MemoryMarshal.GetReference(outputs);
        for (int s = 0; s < count; s++)
        {
            ForwardFolded(ref Unsafe.Add(ref x, s * _inputs), ref Unsafe.Add(ref y, s * _outputs), ref f, ref kt, ref sc, ref st);
        }
    }

    /// <inheritdoc/>
    public override double SquaredErrorGradientBatch(ReadOnlySpan<double> inputs, ReadOnlySpan<double> labels, int count, double scale, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, Span<double> parameterGradient, in EdgeStatisticGradient statistics) =>
        LossGradientBatch(inputs, labels, count, scale, KanLoss.MeanSquaredError, parameters, knots, masks, parameterGradient, in statistics);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override double LossGradientBatch(ReadOnlySpan<double> inputs, ReadOnlySpan<double> labels, int count, double scale, KanLoss loss, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, Span<double> parameterGradient, in EdgeStatisticGradient statistics)
    {
        Check(_inputs, _outputs, parameters.Length, knots.Length, masks.Length);
        if (parameterGradient.Length != _layout.ParameterCount)
        {
            ThrowGradientMismatch(_layout.ParameterCount, _inputs, parameterGradient.Length, 0);
        }

        Buffers buffers = _buffers.Value!;
        Span<double> folded = buffers.Folded.Span;
        Span<double> foldedGradient = buffers.FoldedGradient.Span;
        Fold(parameters, masks, folded);
        double sum = LossGradientFolded(inputs, labels, count, scale, loss, folded, knots, foldedGradient, in statistics);
        UnfoldGradient(foldedGradient, parameters, masks, parameterGradient);
        foldedGradient.Clear();
        return sum;
    }

    /// <inheritdoc/>
    public override double SquaredErrorGradientFolded(ReadOnlySpan<double> inputs, ReadOnlySpan<double> labels, int count, double scale, ReadOnlySpan<double> folded, ReadOnlySpan<double> knots, Span<double> foldedGradient, in EdgeStatisticGradient statistics) =>
        LossGradientFolded(inputs, labels, count, scale, KanLoss.MeanSquaredError, folded, knots, foldedGradient, in statistics);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override double LossGradientFolded(ReadOnlySpan<double> inputs, ReadOnlySpan<double> labels, int count, double scale, KanLoss loss, ReadOnlySpan<double> folded, ReadOnlySpan<double> knots, Span<double> foldedGradient, in EdgeStatisticGradient statistics)
    {
        if (count < 0 || inputs.Length < count * _inputs || labels.Length < count * _outputs)
        {
            ThrowBatchMismatch(count, _inputs, _outputs, inputs.Length, labels.Length);
        }

        CheckKnotTable(knots.Length);
        if (folded.Length < _foldedLength || foldedGradient.Length < _foldedLength)
        {
            ThrowFoldedMismatch(_foldedLength, Math.Min(folded.Length, foldedGradient.Length));
        }

        if (statistics.IsActive)
        {
            statistics.Validate(_edges, _nodes);
        }

        Buffers buffers = _buffers.Value!;
        double[] polynomials = Polynomials(knots, buffers);
        ref double f = ref MemoryMarshal.GetReference(folded);
        ref double af = ref MemoryMarshal.GetReference(foldedGradient);
        ref double pt = ref MemoryMarshal.GetArrayDataReference(polynomials);
        ref double kt = ref MemoryMarshal.GetReference(knots);
        ref double sc = ref MemoryMarshal.GetReference(buffers.Scratch.Span);
        ref int st = ref MemoryMarshal.GetArrayDataReference(buffers.Starts);
        ref double x = ref MemoryMarshal.GetReference(inputs);
        ref double t = ref MemoryMarshal.GetReference(labels);
        KanLoss? sampleLoss = IsSquaredError(loss) ? null : loss;
        double sum = 0.0;
        for (int s = 0; s < count; s += SampleBlock)
        {
            sum += BackwardBlock(ref Unsafe.Add(ref x, s * _inputs), ref Unsafe.Add(ref t, s * _outputs), Math.Min(SampleBlock, count - s), scale, sampleLoss, ref f, ref af, ref pt, ref kt, ref sc, ref st, in statistics);
        }

        return sum;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Fold(ReadOnlySpan<double> parameters, ReadOnlySpan<double> masks, Span<double> folded)
    {
        CheckFoldBuffers(parameters.Length, masks.Length, folded.Length);
        ref double p = ref MemoryMarshal.GetReference(parameters);
        ref double mk = ref MemoryMarshal.GetReference(masks);
        ref double f = ref MemoryMarshal.GetReference(folded);
        for (int l = 0; l < _depth; l++)
        {
            int nIn = _w[l], nOut = _sub[l + 1];
            for (int i = 0; i < nIn; i++)
            {
                for (int j = 0; j < nOut; j++)
                {
                    int e = i * nOut + j;
                    double mask = Unsafe.Add(ref mk, _layout.MaskOffset[l] + e);
                    Unsafe.Add(ref f, _foldBase[l] + e) = mask * Unsafe.Add(ref p, _layout.ScaleBaseOffset[l] + e);
                    double spline = mask * Unsafe.Add(ref p, _layout.ScaleSplineOffset[l] + e);
                    ref double coefficient = ref Unsafe.Add(ref p, _layout.CoefficientOffset[l] + e * _c);
                    for (int m = 0; m < _c; m++)
                    {
                        Unsafe.Add(ref f, _foldCoefficients[l] + (i * _c + m) * nOut + j) = spline * Unsafe.Add(ref coefficient, m);
                    }
                }
            }
        }
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void UnfoldGradient(ReadOnlySpan<double> foldedGradient, ReadOnlySpan<double> parameters, ReadOnlySpan<double> masks, Span<double> parameterGradient)
    {
        CheckFoldBuffers(parameters.Length, masks.Length, foldedGradient.Length);
        if (parameterGradient.Length != _layout.ParameterCount)
        {
            ThrowGradientMismatch(_layout.ParameterCount, _inputs, parameterGradient.Length, 0);
        }

        ref double p = ref MemoryMarshal.GetReference(parameters);
        ref double mk = ref MemoryMarshal.GetReference(masks);
        ref double gp = ref MemoryMarshal.GetReference(parameterGradient);
        ref double af = ref MemoryMarshal.GetReference(foldedGradient);

        // Fold's loop nest on purpose: each product Fold writes, taken back by the chain rule in the same place.
        for (int l = 0; l < _depth; l++)
        {
            int nIn = _w[l], nOut = _sub[l + 1];
            for (int i = 0; i < nIn; i++)
            {
                for (int j = 0; j < nOut; j++)
                {
                    int e = i * nOut + j;
                    double mask = Unsafe.Add(ref mk, _layout.MaskOffset[l] + e);
                    double spline = mask * Unsafe.Add(ref p, _layout.ScaleSplineOffset[l] + e);
                    ref double coefficient = ref Unsafe.Add(ref p, _layout.CoefficientOffset[l] + e * _c);
                    ref double coefficientGradient = ref Unsafe.Add(ref gp, _layout.CoefficientOffset[l] + e * _c);
                    double splineScaleGradient = 0.0;
                    for (int m = 0; m < _c; m++)
                    {
                        double a = Unsafe.Add(ref af, _foldCoefficients[l] + (i * _c + m) * nOut + j);
                        Unsafe.Add(ref coefficientGradient, m) += spline * a;
                        splineScaleGradient += Unsafe.Add(ref coefficient, m) * a;
                    }

                    Unsafe.Add(ref gp, _layout.ScaleSplineOffset[l] + e) += mask * splineScaleGradient;
                    Unsafe.Add(ref gp, _layout.ScaleBaseOffset[l] + e) += mask * Unsafe.Add(ref af, _foldBase[l] + e);
                }
            }
        }
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void TraceFolded(ReadOnlySpan<double> inputs, int count, ReadOnlySpan<double> folded, ReadOnlySpan<double> knots, Span<double> nodeValues, Span<double> edgeValues)
    {
        if (count < 0 || inputs.Length < count * _inputs || nodeValues.Length < count * _nodes || edgeValues.Length < count * _edges)
        {
            ThrowTraceBatchMismatch(count, _inputs, _nodes, _edges, inputs.Length, nodeValues.Length, edgeValues.Length);
        }

        CheckKnotTable(knots.Length);
        if (folded.Length < _foldedLength)
        {
            ThrowFoldedMismatch(_foldedLength, folded.Length);
        }

        Buffers buffers = _buffers.Value!;
        double[] polynomials = Polynomials(knots, buffers);
        ref double f = ref MemoryMarshal.GetReference(folded);
        ref double pt = ref MemoryMarshal.GetArrayDataReference(polynomials);
        ref double kt = ref MemoryMarshal.GetReference(knots);
        ref double sc = ref MemoryMarshal.GetReference(buffers.Scratch.Span);
        ref int st = ref MemoryMarshal.GetArrayDataReference(buffers.Starts);
        ref double x = ref MemoryMarshal.GetReference(inputs);
        ref double nv = ref MemoryMarshal.GetReference(nodeValues);
        ref double ev = ref MemoryMarshal.GetReference(edgeValues);
        for (int s = 0; s < count; s += SampleBlock)
        {
            TraceBlock(ref Unsafe.Add(ref x, s * _inputs), Math.Min(SampleBlock, count - s), ref f, ref pt, ref kt, ref sc, ref st, ref Unsafe.Add(ref nv, s * _nodes), ref Unsafe.Add(ref ev, s * _edges));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ForwardFolded(ref double input, ref double output, ref double f, ref double kt, ref double scratch, ref int st)
    {
        ref double v = ref scratch;
        ref double bx = ref Unsafe.Add(ref scratch, _bases);
        ref double ws = ref Unsafe.Add(ref scratch, _windows);
        for (int n = 0; n < _inputs; n++)
        {
            Unsafe.Add(ref v, n) = Unsafe.Add(ref input, n);
        }

        for (int n = _inputs; n < _nodes; n++)
        {
            Unsafe.Add(ref v, n) = 0.0;
        }

        for (int l = 0; l < _depth; l++)
        {
            int nIn = _w[l], nOut = _sub[l + 1], first = _layout.NodeOffset[l];
            for (int n = first; n < first + nIn; n++)
            {
                double x = Unsafe.Add(ref v, n);
                Unsafe.Add(ref st, n) = Basis(x, ref Unsafe.Add(ref kt, n * _row), ref Unsafe.Add(ref ws, n * Slots));
                Unsafe.Add(ref bx, n) = Base(x);
            }

            for (int i = 0; i < nIn; i++)
            {
                int n = first + i;
                int start = Unsafe.Add(ref st, n);
                Accumulate(nOut, ref Unsafe.Add(ref v, _layout.SubnodeOffset[l + 1]), ref Unsafe.Add(ref f, _foldBase[l] + i * nOut), ref Unsafe.Add(ref f, _foldCoefficients[l] + (i * _c + start) * nOut), Unsafe.Add(ref bx, n), ref Unsafe.Add(ref ws, n * Slots));
            }

            Multiply(l + 1, ref v);
        }

        for (int o = 0; o < _outputs; o++)
        {
            Unsafe.Add(ref output, o) = Unsafe.Add(ref v, _layout.NodeOffset[_depth] + o);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BlockNodes(ref double input, int count, ref double scratch)
    {
        for (int s = 0; s < count; s++)
        {
            ref double v = ref Unsafe.Add(ref scratch, s * _scratchLength);
            ref double x = ref Unsafe.Add(ref input, s * _inputs);
            for (int n = 0; n < _inputs; n++)
            {
                Unsafe.Add(ref v, n) = Unsafe.Add(ref x, n);
            }

            for (int n = _inputs; n < _nodes; n++)
            {
                Unsafe.Add(ref v, n) = 0.0;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BlockBases(int l, int count, ref double scratch, ref int starts, ref double kt, ref double pt)
    {
        int first = _layout.NodeOffset[l];
        for (int s = 0; s < count; s++)
        {
            ref double sc = ref Unsafe.Add(ref scratch, s * _scratchLength);
            BaseValuesWithDerivative(ref Unsafe.Add(ref sc, first), ref Unsafe.Add(ref sc, _bases + first), ref Unsafe.Add(ref sc, _baseSlopes + first), _w[l]);
        }

        for (nint n = first; n < _layout.NodeOffset[l + 1]; n++)
        {
            BlockWindows(n, count, ref scratch, ref starts, ref Unsafe.Add(ref kt, n * _row), ref Unsafe.Add(ref pt, n * (_intervals * Block)), ref Unsafe.Add(ref pt, _polynomialLength + n * LatticeStride));
        }
    }

    /// <summary>MultiplicationEmitter.WriteBlockForward: layer <paramref name="layer"/>'s products for every sample of a block.</summary>
    private void BlockMultiply(int layer, int count, ref double scratch)
    {
        if (_layout.Spec.MultiplicationWidth(layer) == 0)
        {
            return;
        }

        for (int s = 0; s < count; s++)
        {
            Multiply(layer, ref Unsafe.Add(ref scratch, s * _scratchLength));
        }
    }

    private bool SingleOutput(int l) => SingleOutputEmitter.Applies(_layout, l, Slots);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double BackwardBlock(ref double input, ref double label, int count, double scale, KanLoss? loss, ref double f, ref double af, ref double pt, ref double kt, ref double scratch, ref int starts, in EdgeStatisticGradient statistics)
    {
        bool regularized = statistics.IsActive;
        ref double ea = ref MemoryMarshal.GetReference(statistics.EdgeWeight);
        ref double em = ref MemoryMarshal.GetReference(statistics.EdgeMean);
        ref double nb = ref MemoryMarshal.GetReference(statistics.NodeWeight);
        ref double nm = ref MemoryMarshal.GetReference(statistics.NodeMean);
        BlockNodes(ref input, count, ref scratch);
        for (int l = 0; l < _depth; l++)
        {
            int nIn = _w[l], nOut = _sub[l + 1], first = _layout.NodeOffset[l], sums = _layout.SubnodeOffset[l + 1];
            BlockBases(l, count, ref scratch, ref starts, ref kt, ref pt);
            if (SingleOutput(l))
            {
                for (int s = 0; s < count; s++)
                {
                    ref double sc = ref Unsafe.Add(ref scratch, s * _scratchLength);
                    AccumulateSingle(ref Unsafe.Add(ref sc, sums), ref Unsafe.Add(ref f, _foldBase[l]), ref Unsafe.Add(ref f, _foldCoefficients[l]), ref Unsafe.Add(ref sc, _bases + first), ref Unsafe.Add(ref sc, _windows + first * Slots), ref Unsafe.Add(ref starts, s * _nodes + first), nIn);
                }

                BlockMultiply(l + 1, count, ref scratch);
                continue;
            }

            for (int i = 0; i < nIn; i++)
            {
                nint n = first + i;
                ref double fBase = ref Unsafe.Add(ref f, _foldBase[l] + i * nOut);
                ref double fRows = ref Unsafe.Add(ref f, _foldCoefficients[l] + i * (_c * nOut));
                for (nint s = 0; s < count; s++)
                {
                    ref double sc = ref Unsafe.Add(ref scratch, s * _scratchLength);
                    nint start = Unsafe.Add(ref starts, s * _nodes + n);
                    Accumulate(nOut, ref Unsafe.Add(ref sc, sums), ref fBase, ref Unsafe.Add(ref fRows, start * nOut), Unsafe.Add(ref sc, _bases + n), ref Unsafe.Add(ref sc, _windows + n * Slots));
                }
            }

            BlockMultiply(l + 1, count, ref scratch);
        }

        int outputNodes = _layout.NodeOffset[_depth];
        double lossSum = 0.0;
        if (loss is null)
        {
            for (int s = 0; s < count; s++)
            {
                ref double sc = ref Unsafe.Add(ref scratch, s * _scratchLength);
                ref double t = ref Unsafe.Add(ref label, s * _outputs);
                for (int o = 0; o < _outputs; o++)
                {
                    double error = Unsafe.Add(ref sc, outputNodes + o) - Unsafe.Add(ref t, o);
                    lossSum += error * error;
                    Unsafe.Add(ref sc, _gradients + outputNodes + o) = 2.0 * scale * error;
                }
            }
        }
        else
        {
            for (int s = 0; s < count; s++)
            {
                ref double sc = ref Unsafe.Add(ref scratch, s * _scratchLength);
                lossSum += SampleLoss(loss, ref Unsafe.Add(ref sc, outputNodes), ref Unsafe.Add(ref label, s * _outputs), ref Unsafe.Add(ref sc, _gradients + outputNodes), _outputs, scale);
            }
        }

        for (int l = _depth - 1; l >= 0; l--)
        {
            int nIn = _w[l], nOut = _sub[l + 1], first = _layout.NodeOffset[l], sums = _layout.SubnodeOffset[l + 1];
            bool inputGradient = l > 0;
            if (_layout.Spec.MultiplicationWidth(l + 1) != 0)
            {
                for (int s = 0; s < count; s++)
                {
                    ref double sc = ref Unsafe.Add(ref scratch, s * _scratchLength);
                    MultiplyBackward(l + 1, ref sc, ref Unsafe.Add(ref sc, _gradients));
                }
            }

            if (SingleOutput(l))
            {
                for (int s = 0; s < count; s++)
                {
                    ref double sc = ref Unsafe.Add(ref scratch, s * _scratchLength);
                    if (regularized)
                    {
                        BackpropSingle(ref sc, sums, first, ref Unsafe.Add(ref f, _foldBase[l]), ref Unsafe.Add(ref f, _foldCoefficients[l]), ref Unsafe.Add(ref af, _foldBase[l]), ref Unsafe.Add(ref af, _foldCoefficients[l]), ref Unsafe.Add(ref starts, s * _nodes + first), nIn, inputGradient, true,
                            ref Unsafe.Add(ref ea, _layout.EdgeOffset[l]), ref Unsafe.Add(ref em, _layout.EdgeOffset[l]), ref Unsafe.Add(ref nb, first), ref Unsafe.Add(ref nm, first));
                    }
                    else
                    {
                        BackpropSingle(ref sc, sums, first, ref Unsafe.Add(ref f, _foldBase[l]), ref Unsafe.Add(ref f, _foldCoefficients[l]), ref Unsafe.Add(ref af, _foldBase[l]), ref Unsafe.Add(ref af, _foldCoefficients[l]), ref Unsafe.Add(ref starts, s * _nodes + first), nIn, inputGradient, false, ref ea, ref em, ref nb, ref nm);
                    }
                }

                continue;
            }

            for (int i = 0; i < nIn; i++)
            {
                nint n = first + i;
                ref double fBase = ref Unsafe.Add(ref f, _foldBase[l] + i * nOut);
                ref double fRows = ref Unsafe.Add(ref f, _foldCoefficients[l] + i * (_c * nOut));
                ref double afBase = ref Unsafe.Add(ref af, _foldBase[l] + i * nOut);
                ref double afRows = ref Unsafe.Add(ref af, _foldCoefficients[l] + i * (_c * nOut));
                for (nint s = 0; s < count; s++)
                {
                    ref double sc = ref Unsafe.Add(ref scratch, s * _scratchLength);
                    nint start = Unsafe.Add(ref starts, s * _nodes + n);
                    double gx;
                    if (regularized)
                    {
                        gx = Backprop(nOut, ref Unsafe.Add(ref sc, _gradients + sums), ref fBase, ref Unsafe.Add(ref fRows, start * nOut), ref afBase, ref Unsafe.Add(ref afRows, start * nOut), Unsafe.Add(ref sc, _bases + n), Unsafe.Add(ref sc, _baseSlopes + n),
                            ref Unsafe.Add(ref sc, _windows + n * Slots), ref Unsafe.Add(ref sc, _windowSlopes + n * Slots), inputGradient, true, ref Unsafe.Add(ref ea, _layout.EdgeOffset[l] + i * nOut), ref Unsafe.Add(ref em, _layout.EdgeOffset[l] + i * nOut));
                        gx += Unsafe.Add(ref nb, n) * (Unsafe.Add(ref sc, n) - Unsafe.Add(ref nm, n));
                    }
                    else
                    {
                        gx = Backprop(nOut, ref Unsafe.Add(ref sc, _gradients + sums), ref fBase, ref Unsafe.Add(ref fRows, start * nOut), ref afBase, ref Unsafe.Add(ref afRows, start * nOut), Unsafe.Add(ref sc, _bases + n), Unsafe.Add(ref sc, _baseSlopes + n),
                            ref Unsafe.Add(ref sc, _windows + n * Slots), ref Unsafe.Add(ref sc, _windowSlopes + n * Slots), inputGradient, false, ref ea, ref em);
                    }

                    Unsafe.Add(ref sc, _gradients + n) = gx;
                }
            }
        }

        return lossSum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void TraceBlock(ref double input, int count, ref double f, ref double pt, ref double kt, ref double scratch, ref int starts, ref double nodes, ref double edges)
    {
        BlockNodes(ref input, count, ref scratch);
        MemoryMarshal.CreateSpan(ref edges, count * _edges).Clear();
        for (int l = 0; l < _depth; l++)
        {
            int nIn = _w[l], nOut = _sub[l + 1], first = _layout.NodeOffset[l], sums = _layout.SubnodeOffset[l + 1];
            BlockBases(l, count, ref scratch, ref starts, ref kt, ref pt);
            for (int i = 0; i < nIn; i++)
            {
                nint n = first + i;
                ref double fBase = ref Unsafe.Add(ref f, _foldBase[l] + i * nOut);
                ref double fRows = ref Unsafe.Add(ref f, _foldCoefficients[l] + i * (_c * nOut));
                for (nint s = 0; s < count; s++)
                {
                    ref double sc = ref Unsafe.Add(ref scratch, s * _scratchLength);
                    ref double phi = ref Unsafe.Add(ref edges, s * _edges + _layout.EdgeOffset[l] + i * nOut);
                    Accumulate(nOut, ref phi, ref fBase, ref Unsafe.Add(ref fRows, Unsafe.Add(ref starts, s * _nodes + n) * nOut), Unsafe.Add(ref sc, _bases + n), ref Unsafe.Add(ref sc, _windows + n * Slots));

                    // AddEdges: one addition per edge, whether four at a time or one.
                    ref double y = ref Unsafe.Add(ref sc, sums);
                    for (int j = 0; j < nOut; j++)
                    {
                        Unsafe.Add(ref y, j) += Unsafe.Add(ref phi, j);
                    }
                }
            }

            BlockMultiply(l + 1, count, ref scratch);
        }

        for (int s = 0; s < count; s++)
        {
            ref double sc = ref Unsafe.Add(ref scratch, s * _scratchLength);
            ref double row = ref Unsafe.Add(ref nodes, s * _nodes);
            for (int n = 0; n < _nodes; n++)
            {
                Unsafe.Add(ref row, n) = Unsafe.Add(ref sc, n);
            }
        }
    }
}
