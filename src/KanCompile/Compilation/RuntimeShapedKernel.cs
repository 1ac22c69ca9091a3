using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using KanCompile.Generators.Emit;
using KanCompile.Generators.Model;

namespace KanCompile.Compilation;

/// <summary>
/// The emitted kernel's floating-point operations, in the emitted order, with the widths read at run time instead of
/// unrolled: it stands in for a kernel that is still compiling (<see cref="DeferredKernel"/>). Every member it
/// implements gives the compiled kernel's bits, so a fit may switch between the two at any call.
/// <para>How it stays bit-identical: it keeps the emitted scratch layout (<see cref="BatchKernelEmitter.BatchShape"/>),
/// the same polynomial and lattice tables, the same vector helpers per output width (<see cref="EdgeWidthEmitter"/>:
/// whole vectors, then the overlapping pair with scalar tails; scalar loops below four outputs), the one-output path
/// (<see cref="SingleOutputEmitter"/>) with its horizontal sums, and the inline exp of the SiLU base
/// (<see cref="BaseValuesEmitter"/>). Only the vector-accelerated branch of each is mirrored, so it applies only where
/// the compiled kernel takes that branch (<see cref="Supports"/>). Backward, the symbolic members and the input
/// derivatives are not mirrored: the stand-in waits for the compiled kernel there.</para>
/// </summary>
internal sealed class RuntimeShapedKernel : KanKernel
{
    private const int Order = 3;
    private const int Slots = 4;
    private const int Block = (Order + 1) * Slots;
    private const int SampleBlock = 8;
    private const int LatticeStride = LatticeWindowEmitter.LatticeStride;

    // Counted interval search up to 8 four-wide compares (BatchKernelEmitter.MaxCountedChunks).
    private const int MaxCountedChunks = 8;

    private static readonly double[][] Pieces = LatticeWindowEmitter.CardinalPieces(Order);

    private readonly KernelLayout _layout;
    private readonly int[] _w;
    private readonly int _depth, _g, _c, _intervals, _row, _phantom, _padded, _inputs, _outputs, _nodes, _inner, _edges;
    private readonly int _gradients, _bases, _baseSlopes, _windows, _windowSlopes, _scratchLength, _polynomialLength;
    private readonly int[] _foldCoefficients, _foldBase;
    private readonly int _foldedLength;
    private readonly bool _counted, _tableWindows;
    private readonly int _chunks;
    private readonly ThreadLocal<Buffers> _buffers;

    public RuntimeShapedKernel(KernelSpec spec)
        : base(spec.Widths, spec.GridSize, spec.SplineOrder, (KanBaseFunction)(int)spec.BaseFunction)
    {
        if (!Supports(spec))
        {
            throw new ArgumentException($"The run-time-shaped kernel does not mirror {spec}.", nameof(spec));
        }

        _layout = new KernelLayout(spec);
        _w = spec.Widths;
        var shape = new BatchKernelEmitter.BatchShape(_layout);
        _depth = spec.Depth;
        _g = spec.GridSize;
        _c = _layout.CoefficientsPerEdge;
        _intervals = _layout.Intervals;
        _row = _layout.KnotRowLength;
        _phantom = _layout.PhantomKnots;
        _padded = _layout.PaddedKnotCount;
        _inputs = spec.Width(0);
        _outputs = spec.Width(_depth);
        _nodes = _layout.NodeCount;
        _inner = shape.Inner;
        _edges = _layout.EdgeCount;
        _gradients = shape.Gradients;
        _bases = shape.Bases;
        _baseSlopes = shape.BaseSlopes;
        _windows = shape.Windows;
        _windowSlopes = shape.WindowSlopes;
        _scratchLength = shape.Length;
        _polynomialLength = _inner * _intervals * Block;
        _foldCoefficients = new int[_depth];
        _foldBase = new int[_depth];
        int length = 0;
        for (int l = 0; l < _depth; l++)
        {
            _foldCoefficients[l] = length;
            length += spec.Width(l) * _c * spec.SubnodeWidth(l + 1);
            _foldBase[l] = length;
            length += spec.Width(l) * spec.SubnodeWidth(l + 1);
        }

        _foldedLength = length;
        _chunks = (_intervals - 1 + 3) / 4;
        _counted = _intervals > 1 && _chunks <= MaxCountedChunks && 4 * _chunks <= _intervals + _phantom;
        _tableWindows = BatchKernelEmitter.HasTableWindows(_layout);
        _buffers = new ThreadLocal<Buffers>(() => new Buffers(this));
    }

    /// <summary>
    /// Whether this mirror covers <paramref name="spec"/> on this host: spline order 3, SiLU, pykan's zero beyond the grid,
    /// sum nodes only, layers of at most 64 outputs (the emitter's unrolled widths), and the AVX path the compiled kernel takes.
    /// </summary>
    public static bool Supports(KernelSpec spec)
    {
        if (spec.SplineOrder != Order || spec.BaseFunction != KernelBaseFunction.SiLU || spec.Continues || spec.HasMultiplication
            || !Vector256.IsHardwareAccelerated || !Avx.IsSupported)
        {
            return false;
        }

        for (int l = 0; l <= spec.Depth; l++)
        {
            if (spec.Width(l) > 4 * EdgeWidthEmitter.MaxUnrolledVectors)
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override int FoldedLength => _foldedLength;

    // ---- Single-sample paths (KernelEmitter's ForwardCore and TraceCore). ----

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
            int nIn = _w[l], nOut = _w[l + 1];
            ref double a = ref nodes[_layout.NodeOffset[l]];
            ref double y0 = ref nodes[_layout.NodeOffset[l + 1]];
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
                    sum = Math.FusedMultiplyAdd(b[0], spline * Unsafe.Add(ref p, c), sum);
                    sum = Math.FusedMultiplyAdd(b[1], spline * Unsafe.Add(ref p, c + 1), sum);
                    sum = Math.FusedMultiplyAdd(b[2], spline * Unsafe.Add(ref p, c + 2), sum);
                    sum = Math.FusedMultiplyAdd(b[3], spline * Unsafe.Add(ref p, c + 3), sum);
                    y = sum;
                    c += _c;
                }
            }
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
            int nIn = _w[l], nOut = _w[l + 1];
            for (int i = 0; i < nIn; i++)
            {
                double x = Unsafe.Add(ref nv, _layout.NodeOffset[l] + i);
                int start = Basis(x, ref Unsafe.Add(ref kt, _layout.KnotOffset[l] + i * _row), ref MemoryMarshal.GetReference(b));
                double bx = Base(x);
                int e = i * nOut;
                int c = _layout.CoefficientOffset[l] + e * _c + start;
                for (int j = 0; j < nOut; j++, e++)
                {
                    double spline = Unsafe.Add(ref p, c) * b[0] + Unsafe.Add(ref p, c + 1) * b[1] + Unsafe.Add(ref p, c + 2) * b[2] + Unsafe.Add(ref p, c + 3) * b[3];
                    double phi = Unsafe.Add(ref mk, _layout.MaskOffset[l] + e) * (Unsafe.Add(ref p, _layout.ScaleBaseOffset[l] + e) * bx + Unsafe.Add(ref p, _layout.ScaleSplineOffset[l] + e) * spline);
                    Unsafe.Add(ref sv, _layout.EdgeOffset[l] + e) = spline;
                    Unsafe.Add(ref ev, _layout.EdgeOffset[l] + e) = phi;
                    Unsafe.Add(ref nv, _layout.NodeOffset[l + 1] + j) += phi;
                    c += _c;
                }
            }
        }
    }

    /// <summary>Not mirrored: <see cref="DeferredKernel"/> waits for the compiled kernel.</summary>
    public override double Backward(ReadOnlySpan<double> input, ReadOnlySpan<double> target, bool targetIsLabel, double scale, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, Span<double> parameterGradient, Span<double> inputGradient, in EdgeStatisticGradient statistics) =>
        throw new NotSupportedException("The run-time-shaped kernel does not mirror Backward.");

    /// <inheritdoc/>
    public override void ForwardSymbolic(ReadOnlySpan<double> input, Span<double> output, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic) =>
        throw NotMirrored();

    /// <inheritdoc/>
    public override void TraceSymbolic(ReadOnlySpan<double> input, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic, Span<double> nodeValues, Span<double> edgeValues, Span<double> splineValues, Span<double> symbolicValues) =>
        throw NotMirrored();

    /// <inheritdoc/>
    public override double BackwardSymbolic(ReadOnlySpan<double> input, ReadOnlySpan<double> target, bool targetIsLabel, double scale, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic, Span<double> parameterGradient, Span<double> affineGradient, Span<double> inputGradient, in EdgeStatisticGradient statistics) =>
        throw NotMirrored();

    /// <inheritdoc/>
    public override void InputDerivatives(ReadOnlySpan<double> input, Span<double> output, Span<double> jacobian, Span<double> hessian, SecondDerivatives second, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks) =>
        throw NotMirrored();

    /// <inheritdoc/>
    public override void InputDerivativesSymbolic(ReadOnlySpan<double> input, Span<double> output, Span<double> jacobian, Span<double> hessian, SecondDerivatives second, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic) =>
        throw NotMirrored();

    /// <inheritdoc/>
    public override double InputDerivativeLossGradient(ReadOnlySpan<double> inputs, int firstSample, int count, SecondDerivatives second, InputDerivativeLoss loss, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, Span<double> parameterGradient) =>
        throw NotMirrored();

    /// <inheritdoc/>
    public override double InputDerivativeLossGradientSymbolic(ReadOnlySpan<double> inputs, int firstSample, int count, SecondDerivatives second, InputDerivativeLoss loss, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic, Span<double> parameterGradient, Span<double> affineGradient) =>
        throw NotMirrored();

    // ---- Batch path (BatchKernelEmitter). ----

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
            int nIn = _w[l], nOut = _w[l + 1];
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
        for (int l = 0; l < _depth; l++)
        {
            int nIn = _w[l], nOut = _w[l + 1];
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
            int nIn = _w[l], nOut = _w[l + 1], first = _layout.NodeOffset[l];
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

    private bool SingleOutput(int l) => _w[l + 1] == 1;

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
            int nIn = _w[l], nOut = _w[l + 1], first = _layout.NodeOffset[l], sums = _layout.SubnodeOffset[l + 1];
            BlockBases(l, count, ref scratch, ref starts, ref kt, ref pt);
            if (SingleOutput(l))
            {
                for (int s = 0; s < count; s++)
                {
                    ref double sc = ref Unsafe.Add(ref scratch, s * _scratchLength);
                    AccumulateSingle(ref Unsafe.Add(ref sc, sums), ref Unsafe.Add(ref f, _foldBase[l]), ref Unsafe.Add(ref f, _foldCoefficients[l]), ref Unsafe.Add(ref sc, _bases + first), ref Unsafe.Add(ref sc, _windows + first * Slots), ref Unsafe.Add(ref starts, s * _nodes + first), nIn);
                }

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
            int nIn = _w[l], nOut = _w[l + 1], first = _layout.NodeOffset[l], sums = _layout.SubnodeOffset[l + 1];
            bool inputGradient = l > 0;
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
            int nIn = _w[l], nOut = _w[l + 1], first = _layout.NodeOffset[l], sums = _layout.SubnodeOffset[l + 1];
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

    // ---- Bases and windows. ----

    private static double Base(double x) => x / (1.0 + Math.Exp(-x));

    private double Knot(ref double row, int index) => Unsafe.Add(ref row, _phantom + index);

    /// <summary>BasisEmitter's Basis for k = 3, as emitted: halving search, Cox-de Boor with the row's reciprocals, the padding-zone shift.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private int Basis(double x, ref double row, ref double window)
    {
        if (!(x >= Knot(ref row, 0) && x < Knot(ref row, _intervals)))
        {
            window = 0.0;
            Unsafe.Add(ref window, 1) = 0.0;
            Unsafe.Add(ref window, 2) = 0.0;
            Unsafe.Add(ref window, 3) = 0.0;
            return 0;
        }

        int mu = 0;
        for (int length = _intervals; length > 1;)
        {
            int half = length >> 1;
            mu += Knot(ref row, mu + half) <= x ? half : 0;
            length -= half;
        }

        ref double t = ref Unsafe.Add(ref row, _phantom + mu);
        ref double inv = ref Unsafe.Add(ref row, _padded + mu * _layout.ReciprocalsPerInterval);
        double left1 = x - t;
        double right1 = Unsafe.Add(ref t, 1) - x;
        double left2 = x - Unsafe.Add(ref t, -1);
        double right2 = Unsafe.Add(ref t, 2) - x;
        double left3 = x - Unsafe.Add(ref t, -2);
        double right3 = Unsafe.Add(ref t, 3) - x;
        double n0 = 1.0;
        double n1, n2, n3;
        double saved, temp;
        saved = 0.0;
        temp = n0 * inv;
        n0 = saved + right1 * temp;
        saved = left1 * temp;
        n1 = saved;
        saved = 0.0;
        temp = n0 * Unsafe.Add(ref inv, 1);
        n0 = saved + right1 * temp;
        saved = left2 * temp;
        temp = n1 * Unsafe.Add(ref inv, 2);
        n1 = saved + right2 * temp;
        saved = left1 * temp;
        n2 = saved;
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
        int start = mu - Order;
        if (start < 0)
        {
            // Padding zone below t_k: basis functions with index < 0 do not exist.
            switch (start)
            {
                case -1:
                    n0 = n1;
                    n1 = n2;
                    n2 = n3;
                    n3 = 0.0;
                    break;
                case -2:
                    n0 = n2;
                    n1 = n3;
                    n2 = 0.0;
                    n3 = 0.0;
                    break;
                case -3:
                    n0 = n3;
                    n1 = 0.0;
                    n2 = 0.0;
                    n3 = 0.0;
                    break;
            }

            start = 0;
        }
        else if (start > _g - 1)
        {
            // Padding zone above t_{G+k}: basis functions with index > G+k-1 do not exist.
            switch (start - (_g - 1))
            {
                case 1:
                    n3 = n2;
                    n2 = n1;
                    n1 = n0;
                    n0 = 0.0;
                    break;
                case 2:
                    n3 = n1;
                    n2 = n0;
                    n1 = 0.0;
                    n0 = 0.0;
                    break;
                case 3:
                    n3 = n0;
                    n2 = 0.0;
                    n1 = 0.0;
                    n0 = 0.0;
                    break;
            }

            start = _g - 1;
        }

        window = n0;
        Unsafe.Add(ref window, 1) = n1;
        Unsafe.Add(ref window, 2) = n2;
        Unsafe.Add(ref window, 3) = n3;
        return start;
    }

    /// <summary>BaseValuesEmitter: b(x) and b'(x) of <paramref name="count"/> consecutive nodes, four at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void BaseValuesWithDerivative(ref double x, ref double values, ref double slopes, int count)
    {
        Vector256<double> one = Vector256<double>.One;
        for (int i = 0; i < count; i += 4)
        {
            Vector256<double> v = Vector256.LoadUnsafe(ref x, (nuint)i);
            Vector256<double> sigmoid = one / (one + NegativeExp(v));
            Vector256.StoreUnsafe(v * sigmoid, ref values, (nuint)i);
            Vector256.StoreUnsafe(sigmoid * (one + v * (one - sigmoid)), ref slopes, (nuint)i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static Vector256<double> NegativeExp(Vector256<double> v)
    {
        Vector256<double> a = -v;
        if (Vector256.ExtractMostSignificantBits(Vector256.LessThanOrEqual(Vector256.Abs(a), Vector256.Create(708.0))) != 0b1111)
        {
            return Vector256.Exp(a);
        }

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
        const int Terms = Order + 1;
        Span<double> n = stackalloc double[Terms * Terms];
        Span<double> temp = stackalloc double[Terms];
        Span<double> saved = stackalloc double[Terms];
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
                    for (int q = 0; q < Terms; q++)
                    {
                        temp[q] = n[r * Terms + q] * reciprocal;
                    }

                    for (int q = 0; q < Terms; q++)
                    {
                        double lower = q > 0 ? temp[q - 1] : 0.0;
                        n[r * Terms + q] = saved[q] + right * temp[q] - lower;
                        saved[q] = left * temp[q] + lower;
                    }
                }

                for (int q = 0; q < Terms; q++)
                {
                    n[j * Terms + q] = saved[q];
                }
            }

            int shift = Math.Clamp(mu - Order, 0, _g - 1) - (mu - Order);
            ref double target = ref Unsafe.Add(ref block, mu * Block);
            for (int r = 0; r < Slots; r++)
            {
                int source = r + shift;
                bool present = r <= Order && source >= 0 && source <= Order;
                for (int q = 0; q < Terms; q++)
                {
                    Unsafe.Add(ref target, q * Slots + r) = present ? n[source * Terms + q] : 0.0;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BlockWindows(nint n, int count, ref double scratch, ref int starts, ref double row, ref double polynomials, ref double lattice)
    {
        bool onLattice = Avx.IsSupported && Unsafe.Add(ref lattice, 2) != 0.0;
        for (nint s = 0; s < count; s++)
        {
            if ((s & 3) == 0 && s + 4 <= count
                && (onLattice ? LatticeWindows(n, ref Unsafe.Add(ref scratch, s * _scratchLength), ref Unsafe.Add(ref starts, s * _nodes), ref lattice)
                    : _tableWindows && TableWindows(n, ref Unsafe.Add(ref scratch, s * _scratchLength), ref Unsafe.Add(ref starts, s * _nodes), ref row, ref polynomials)))
            {
                s += 3;
                continue;
            }

            ref double sc = ref Unsafe.Add(ref scratch, s * _scratchLength);
            Unsafe.Add(ref starts, s * _nodes + n) = WindowWithDerivative(Unsafe.Add(ref sc, n), ref row, ref polynomials, ref Unsafe.Add(ref sc, _windows + n * Slots), ref Unsafe.Add(ref sc, _windowSlopes + n * Slots));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private int WindowWithDerivative(double x, ref double row, ref double polynomials, ref double values, ref double slopes)
    {
        if (!(x >= Knot(ref row, 0) && x < Knot(ref row, _intervals)))
        {
            for (int r = 0; r < Slots; r++)
            {
                Unsafe.Add(ref values, r) = 0.0;
                Unsafe.Add(ref slopes, r) = 0.0;
            }

            return 0;
        }

        nint mu;
        if (_counted)
        {
            Vector256<double> vx = Vector256.Create(x);
            Vector256<long> below = Vector256<long>.Zero;
            for (int q = 0; q < _chunks; q++)
            {
                below -= Vector256.AsInt64(Vector256.LessThanOrEqual(Vector256.LoadUnsafe(ref row, (nuint)(_phantom + 1 + 4 * q)), vx));
            }

            mu = (nint)Vector256.Sum(below);
        }
        else
        {
            mu = 0;
            for (int length = _intervals; length > 1;)
            {
                int half = length >> 1;
                mu += half & -(Unsafe.Add(ref row, _phantom + mu + half) <= x ? 1 : 0);
                length -= half;
            }
        }

        double u = x - Unsafe.Add(ref row, _phantom + mu);
        Horner(ref Unsafe.Add(ref polynomials, mu * Block), Vector256.Create(u), ref values, ref slopes);
        return (int)Math.Min(Math.Max(mu - Order, 0), _g - 1);
    }

    /// <summary>The four window slots and their slopes from an interval's polynomial block (WriteHorner, vector form, k = 3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Horner(ref double p, Vector256<double> vu, ref double values, ref double slopes)
    {
        Vector256<double> value0 = Vector256.LoadUnsafe(ref p, (nuint)(3 * Slots));
        value0 = Vector256.FusedMultiplyAdd(value0, vu, Vector256.LoadUnsafe(ref p, (nuint)(2 * Slots)));
        value0 = Vector256.FusedMultiplyAdd(value0, vu, Vector256.LoadUnsafe(ref p, (nuint)(1 * Slots)));
        value0 = Vector256.FusedMultiplyAdd(value0, vu, Vector256.LoadUnsafe(ref p, (nuint)0));
        Vector256.StoreUnsafe(value0, ref values, (nuint)0);
        Vector256<double> slope0 = 3.0 * Vector256.LoadUnsafe(ref p, (nuint)(3 * Slots));
        slope0 = Vector256.FusedMultiplyAdd(slope0, vu, 2.0 * Vector256.LoadUnsafe(ref p, (nuint)(2 * Slots)));
        slope0 = Vector256.FusedMultiplyAdd(slope0, vu, Vector256.LoadUnsafe(ref p, (nuint)(1 * Slots)));
        Vector256.StoreUnsafe(slope0, ref slopes, (nuint)0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private bool TableWindows(nint n, ref double scratch, ref int starts, ref double row, ref double polynomials)
    {
        Vector256<double> x = Vector256.Create(Unsafe.Add(ref scratch, n), Unsafe.Add(ref scratch, _scratchLength + n), Unsafe.Add(ref scratch, 2 * _scratchLength + n), Unsafe.Add(ref scratch, 3 * _scratchLength + n));
        if (Vector256.ExtractMostSignificantBits(Vector256.GreaterThanOrEqual(x, Vector256.Create(Knot(ref row, 0))) & Vector256.LessThan(x, Vector256.Create(Knot(ref row, _intervals)))) != 0b1111)
        {
            return false;
        }

        Vector256<long> below = Vector256<long>.Zero;
        for (int j = 1; j < _intervals; j++)
        {
            below -= Vector256.AsInt64(Vector256.LessThanOrEqual(Vector256.Create(Knot(ref row, j)), x));
        }

        for (int lane = 0; lane < 4; lane++)
        {
            nint mu = (nint)below.GetElement(lane);
            ref double sample = ref Unsafe.Add(ref scratch, lane * _scratchLength);
            Vector256<double> vu = Vector256.Create(Unsafe.Add(ref sample, n) - Unsafe.Add(ref row, _phantom + mu));
            Horner(ref Unsafe.Add(ref polynomials, mu * Block), vu, ref Unsafe.Add(ref sample, _windows + n * Slots), ref Unsafe.Add(ref sample, _windowSlopes + n * Slots));
            Unsafe.Add(ref starts, lane * _nodes + n) = (int)Math.Min(Math.Max(mu - Order, 0), _g - 1);
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
        Vector256<double> inside = Vector256.GreaterThanOrEqual(t, Vector256.Create((double)Order)) & Vector256.LessThan(t, Vector256.Create((double)(_g + Order)));
        if (Vector256.ExtractMostSignificantBits(inside) != 0b1111)
        {
            return false;
        }

        Vector256<double> cell = Vector256.Floor(t);
        Vector256<double> u = t - cell;
        for (int r = 0; r <= Order; r++)
        {
            double[] piece = Pieces[Order - r];
            Vector256<double> value = ConstantHorner(piece, u, derivative: false);
            Vector256<double> slope = ConstantHorner(piece, u, derivative: true);
            slope *= inverse;

            // The emitted transpose (unpack, permute) only moves lanes: sample lane's slot r.
            for (int lane = 0; lane < 4; lane++)
            {
                Unsafe.Add(ref scratch, lane * _scratchLength + _windows + n * Slots + r) = value.GetElement(lane);
                Unsafe.Add(ref scratch, lane * _scratchLength + _windowSlopes + n * Slots + r) = slope.GetElement(lane);
            }
        }

        Vector128<int> start = Avx.ConvertToVector128Int32WithTruncation(cell) - Vector128.Create(Order);
        for (int lane = 0; lane < 4; lane++)
        {
            Unsafe.Add(ref starts, lane * _nodes + n) = start.GetElement(lane);
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

    // ---- Edge helpers per output width (EdgeWidthEmitter) and for one output (SingleOutputEmitter). ----

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Accumulate(int width, ref double y, ref double sb, ref double rows, double bx, ref double window)
    {
        if (width >= 4)
        {
            Vector256<double> vbx = Vector256.Create(bx);
            Vector256<double> vb0 = Vector256.Create(window);
            Vector256<double> vb1 = Vector256.Create(Unsafe.Add(ref window, 1));
            Vector256<double> vb2 = Vector256.Create(Unsafe.Add(ref window, 2));
            Vector256<double> vb3 = Vector256.Create(Unsafe.Add(ref window, 3));
            int whole = width / 4, rest = width % 4;
            int single = rest > 0 ? whole - 1 : whole;
            for (int q = 0; q < single; q++)
            {
                nuint at = (nuint)(4 * q);
                Vector256<double> sum = AccumulateSum(Vector256.LoadUnsafe(ref y, at), ref sb, ref rows, at, width, vbx, vb0, vb1, vb2, vb3);
                Vector256.StoreUnsafe(sum, ref y, at);
            }

            if (rest > 0)
            {
                nuint first = (nuint)(4 * (whole - 1)), second = (nuint)(width - 4);
                Vector256<double> fresh = Fresh(rest);
                Vector256<double> acc2 = Vector256.LoadUnsafe(ref y, second);
                Vector256<double> sum = AccumulateSum(Vector256.LoadUnsafe(ref y, first), ref sb, ref rows, first, width, vbx, vb0, vb1, vb2, vb3);
                Vector256<double> sum2 = AccumulateSum(acc2, ref sb, ref rows, second, width, vbx, vb0, vb1, vb2, vb3);
                Vector256.StoreUnsafe(Vector256.ConditionalSelect(fresh, sum2, acc2), ref y, second);
                Vector256.StoreUnsafe(sum, ref y, first);
            }

            return;
        }

        for (nuint j = 0; j < (nuint)width; j++)
        {
            double sum = Math.FusedMultiplyAdd(bx, Unsafe.Add(ref sb, j), Unsafe.Add(ref y, j));
            sum = Math.FusedMultiplyAdd(window, Unsafe.Add(ref rows, j), sum);
            sum = Math.FusedMultiplyAdd(Unsafe.Add(ref window, 1), Unsafe.Add(ref rows, j + (nuint)width), sum);
            sum = Math.FusedMultiplyAdd(Unsafe.Add(ref window, 2), Unsafe.Add(ref rows, j + (nuint)(2 * width)), sum);
            sum = Math.FusedMultiplyAdd(Unsafe.Add(ref window, 3), Unsafe.Add(ref rows, j + (nuint)(3 * width)), sum);
            Unsafe.Add(ref y, j) = sum;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static Vector256<double> AccumulateSum(Vector256<double> acc, ref double sb, ref double rows, nuint at, int width, Vector256<double> vbx, Vector256<double> vb0, Vector256<double> vb1, Vector256<double> vb2, Vector256<double> vb3)
    {
        Vector256<double> sum = Vector256.FusedMultiplyAdd(vbx, Vector256.LoadUnsafe(ref sb, at), acc);
        sum = Vector256.FusedMultiplyAdd(vb0, Vector256.LoadUnsafe(ref rows, at), sum);
        sum = Vector256.FusedMultiplyAdd(vb1, Vector256.LoadUnsafe(ref rows, at + (nuint)width), sum);
        sum = Vector256.FusedMultiplyAdd(vb2, Vector256.LoadUnsafe(ref rows, at + (nuint)(2 * width)), sum);
        sum = Vector256.FusedMultiplyAdd(vb3, Vector256.LoadUnsafe(ref rows, at + (nuint)(3 * width)), sum);
        return sum;
    }

    private static Vector256<double> Fresh(int rest) =>
        Vector256.AsDouble(Vector256.Create(rest >= 4 ? -1L : 0L, rest >= 3 ? -1L : 0L, rest >= 2 ? -1L : 0L, rest >= 1 ? -1L : 0L));

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static double Backprop(int width, ref double g, ref double sb, ref double rows, ref double gsb, ref double grows, double bx, double dbx, ref double window, ref double slopes, bool inputGradient, bool regularized, ref double weight, ref double mean)
    {
        if (width >= 4)
        {
            Vector256<double> accumulated = Vector256<double>.Zero;
            var broadcasts = new Broadcasts(bx, dbx, ref window, ref slopes);
            int whole = width / 4, rest = width % 4;
            int single = rest > 0 ? whole - 1 : whole;
            for (int q = 0; q < single; q++)
            {
                nuint at = (nuint)(4 * q);
                Vector256<double> upstream = Upstream(ref g, ref sb, ref rows, at, width, in broadcasts, inputGradient, regularized, ref weight, ref mean, masked: false, default, ref accumulated);
                nuint w1 = at + (nuint)width, w2 = at + (nuint)(2 * width), w3 = at + (nuint)(3 * width);
                Vector256.StoreUnsafe(Vector256.FusedMultiplyAdd(broadcasts.Bx, upstream, Vector256.LoadUnsafe(ref gsb, at)), ref gsb, at);
                Vector256.StoreUnsafe(Vector256.FusedMultiplyAdd(broadcasts.B0, upstream, Vector256.LoadUnsafe(ref grows, at)), ref grows, at);
                Vector256.StoreUnsafe(Vector256.FusedMultiplyAdd(broadcasts.B1, upstream, Vector256.LoadUnsafe(ref grows, w1)), ref grows, w1);
                Vector256.StoreUnsafe(Vector256.FusedMultiplyAdd(broadcasts.B2, upstream, Vector256.LoadUnsafe(ref grows, w2)), ref grows, w2);
                Vector256.StoreUnsafe(Vector256.FusedMultiplyAdd(broadcasts.B3, upstream, Vector256.LoadUnsafe(ref grows, w3)), ref grows, w3);
            }

            if (rest > 0)
            {
                nuint first = (nuint)(4 * (whole - 1)), second = (nuint)(width - 4);
                Vector256<double> fresh = Fresh(rest);
                Vector256<double> upstream = Upstream(ref g, ref sb, ref rows, first, width, in broadcasts, inputGradient, regularized, ref weight, ref mean, masked: false, fresh, ref accumulated);
                Vector256<double> upstream2 = Upstream(ref g, ref sb, ref rows, second, width, in broadcasts, inputGradient, regularized, ref weight, ref mean, masked: true, fresh, ref accumulated);
                RowWithTail(ref gsb, first, width - rest, rest, broadcasts.Bx, bx, upstream, upstream2);
                RowWithTail(ref grows, first, width - rest, rest, broadcasts.B0, window, upstream, upstream2);
                RowWithTail(ref grows, first + (nuint)width, width + width - rest, rest, broadcasts.B1, Unsafe.Add(ref window, 1), upstream, upstream2);
                RowWithTail(ref grows, first + (nuint)(2 * width), (2 * width) + width - rest, rest, broadcasts.B2, Unsafe.Add(ref window, 2), upstream, upstream2);
                RowWithTail(ref grows, first + (nuint)(3 * width), (3 * width) + width - rest, rest, broadcasts.B3, Unsafe.Add(ref window, 3), upstream, upstream2);
            }

            return inputGradient ? Vector256.Sum(accumulated) : 0.0;
        }

        double gx = 0.0;
        for (nuint j = 0; j < (nuint)width; j++)
        {
            nuint w1 = j + (nuint)width, w2 = j + (nuint)(2 * width), w3 = j + (nuint)(3 * width);
            double upstream = Unsafe.Add(ref g, j);
            double scaleBase = Unsafe.Add(ref sb, j);
            if (regularized)
            {
                upstream += Unsafe.Add(ref weight, j) * (bx * scaleBase + window * Unsafe.Add(ref rows, j) + Unsafe.Add(ref window, 1) * Unsafe.Add(ref rows, w1) + Unsafe.Add(ref window, 2) * Unsafe.Add(ref rows, w2) + Unsafe.Add(ref window, 3) * Unsafe.Add(ref rows, w3) - Unsafe.Add(ref mean, j));
            }

            if (inputGradient)
            {
                gx += upstream * (dbx * scaleBase + slopes * Unsafe.Add(ref rows, j) + Unsafe.Add(ref slopes, 1) * Unsafe.Add(ref rows, w1) + Unsafe.Add(ref slopes, 2) * Unsafe.Add(ref rows, w2) + Unsafe.Add(ref slopes, 3) * Unsafe.Add(ref rows, w3));
            }

            Unsafe.Add(ref gsb, j) += bx * upstream;
            Unsafe.Add(ref grows, j) += window * upstream;
            Unsafe.Add(ref grows, w1) += Unsafe.Add(ref window, 1) * upstream;
            Unsafe.Add(ref grows, w2) += Unsafe.Add(ref window, 2) * upstream;
            Unsafe.Add(ref grows, w3) += Unsafe.Add(ref window, 3) * upstream;
        }

        return gx;
    }

    /// <summary>WriteBackpropUpstream: the vector's upstream gradient (with the statistic term; masked outside fresh) and its share of dL/dx.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static Vector256<double> Upstream(ref double g, ref double sb, ref double rows, nuint at, int width, in Broadcasts v, bool inputGradient, bool regularized, ref double weight, ref double mean, bool masked, Vector256<double> fresh, ref Vector256<double> accumulated)
    {
        nuint w1 = at + (nuint)width, w2 = at + (nuint)(2 * width), w3 = at + (nuint)(3 * width);
        Vector256<double> upstream = Vector256.LoadUnsafe(ref g, at);
        Vector256<double> scaleBase = Vector256.LoadUnsafe(ref sb, at);
        if (regularized)
        {
            Vector256<double> phi = v.Bx * scaleBase + v.B0 * Vector256.LoadUnsafe(ref rows, at) + v.B1 * Vector256.LoadUnsafe(ref rows, w1) + v.B2 * Vector256.LoadUnsafe(ref rows, w2) + v.B3 * Vector256.LoadUnsafe(ref rows, w3);
            upstream += Vector256.LoadUnsafe(ref weight, at) * (phi - Vector256.LoadUnsafe(ref mean, at));
        }

        if (masked)
        {
            upstream = Vector256.BitwiseAnd(upstream, fresh);
        }

        if (inputGradient)
        {
            Vector256<double> slope = v.Dbx * scaleBase;
            slope = Vector256.FusedMultiplyAdd(v.D0, Vector256.LoadUnsafe(ref rows, at), slope);
            slope = Vector256.FusedMultiplyAdd(v.D1, Vector256.LoadUnsafe(ref rows, w1), slope);
            slope = Vector256.FusedMultiplyAdd(v.D2, Vector256.LoadUnsafe(ref rows, w2), slope);
            slope = Vector256.FusedMultiplyAdd(v.D3, Vector256.LoadUnsafe(ref rows, w3), slope);
            accumulated = Vector256.FusedMultiplyAdd(upstream, slope, accumulated);
        }

        return upstream;
    }

    /// <summary>WriteRowWithTail: the whole vector at <paramref name="at"/>, then the last outputs one at a time from the masked vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void RowWithTail(ref double table, nuint at, int tail, int rest, Vector256<double> factor, double scalar, Vector256<double> upstream, Vector256<double> upstream2)
    {
        Vector256.StoreUnsafe(Vector256.FusedMultiplyAdd(factor, upstream, Vector256.LoadUnsafe(ref table, at)), ref table, at);
        for (int q = 0; q < rest; q++)
        {
            ref double element = ref Unsafe.Add(ref table, tail + q);
            element = Math.FusedMultiplyAdd(scalar, upstream2.GetElement(4 - rest + q), element);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private void AccumulateSingle(ref double y, ref double sb, ref double rows, ref double bx, ref double windows, ref int starts, int count)
    {
        double linear = y;
        Vector256<double> spline = Vector256<double>.Zero;
        for (nint i = 0; i < count; i++)
        {
            linear = Math.FusedMultiplyAdd(Unsafe.Add(ref bx, i), Unsafe.Add(ref sb, i), linear);
            spline = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref windows, (nuint)(i * Slots)), Vector256.LoadUnsafe(ref rows, (nuint)(i * _c + Unsafe.Add(ref starts, i))), spline);
        }

        y = linear + Vector256.Sum(spline);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private void BackpropSingle(ref double sc, int output, int first, ref double sb, ref double rows, ref double gsb, ref double grows, ref int starts, int count, bool inputGradient, bool regularized, ref double weight, ref double mean, ref double nodeWeight, ref double nodeMean)
    {
        double g = Unsafe.Add(ref sc, _gradients + output);
        ref double bx = ref Unsafe.Add(ref sc, _bases + first);
        ref double dbx = ref Unsafe.Add(ref sc, _baseSlopes + first);
        ref double windows = ref Unsafe.Add(ref sc, _windows + first * Slots);
        ref double slopes = ref Unsafe.Add(ref sc, _windowSlopes + first * Slots);
        ref double gx = ref Unsafe.Add(ref sc, _gradients + first);
        nint i = 0;
        if (Avx.IsSupported && !regularized)
        {
            Vector256<double> upstream4 = Vector256.Create(g);
            for (; i + 4 <= count; i += 4)
            {
                nuint at0 = (nuint)((i + 0) * _c + Unsafe.Add(ref starts, i + 0));
                Vector256<double> row0 = Vector256.LoadUnsafe(ref rows, at0);
                Vector256.StoreUnsafe(Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref windows, (nuint)((i + 0) * Slots)), upstream4, Vector256.LoadUnsafe(ref grows, at0)), ref grows, at0);
                nuint at1 = (nuint)((i + 1) * _c + Unsafe.Add(ref starts, i + 1));
                Vector256<double> row1 = Vector256.LoadUnsafe(ref rows, at1);
                Vector256.StoreUnsafe(Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref windows, (nuint)((i + 1) * Slots)), upstream4, Vector256.LoadUnsafe(ref grows, at1)), ref grows, at1);
                nuint at2 = (nuint)((i + 2) * _c + Unsafe.Add(ref starts, i + 2));
                Vector256<double> row2 = Vector256.LoadUnsafe(ref rows, at2);
                Vector256.StoreUnsafe(Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref windows, (nuint)((i + 2) * Slots)), upstream4, Vector256.LoadUnsafe(ref grows, at2)), ref grows, at2);
                nuint at3 = (nuint)((i + 3) * _c + Unsafe.Add(ref starts, i + 3));
                Vector256<double> row3 = Vector256.LoadUnsafe(ref rows, at3);
                Vector256.StoreUnsafe(Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref windows, (nuint)((i + 3) * Slots)), upstream4, Vector256.LoadUnsafe(ref grows, at3)), ref grows, at3);
                if (inputGradient)
                {
                    Vector256<double> product0 = Vector256.LoadUnsafe(ref slopes, (nuint)((i + 0) * Slots)) * row0;
                    Vector256<double> product1 = Vector256.LoadUnsafe(ref slopes, (nuint)((i + 1) * Slots)) * row1;
                    Vector256<double> product2 = Vector256.LoadUnsafe(ref slopes, (nuint)((i + 2) * Slots)) * row2;
                    Vector256<double> product3 = Vector256.LoadUnsafe(ref slopes, (nuint)((i + 3) * Slots)) * row3;
                    Vector256<double> pairs01 = Avx.HorizontalAdd(product0, product1);
                    Vector256<double> pairs23 = Avx.HorizontalAdd(product2, product3);
                    Vector256<double> sums = Avx.Permute2x128(pairs01, pairs23, 0x20) + Avx.Permute2x128(pairs01, pairs23, 0x31);
                    Vector256<double> slope = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref dbx, (nuint)i), Vector256.LoadUnsafe(ref sb, (nuint)i), sums);
                    Vector256.StoreUnsafe(upstream4 * slope, ref gx, (nuint)i);
                }
                else
                {
                    Vector256.StoreUnsafe(upstream4 * Vector256<double>.Zero, ref gx, (nuint)i);
                }

                Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref gsb, (nuint)i) + Vector256.LoadUnsafe(ref bx, (nuint)i) * upstream4, ref gsb, (nuint)i);
            }
        }

        for (; i < count; i++)
        {
            nuint at = (nuint)(i * _c + Unsafe.Add(ref starts, i));
            nuint slot = (nuint)(i * Slots);
            double scaleBase = Unsafe.Add(ref sb, i);
            double upstream = g;
            Vector256<double> window = Vector256.LoadUnsafe(ref windows, slot);
            Vector256<double> row = Vector256.LoadUnsafe(ref rows, at);
            if (regularized)
            {
                double phi = Math.FusedMultiplyAdd(Unsafe.Add(ref bx, i), scaleBase, Vector256.Sum(window * row));
                upstream += Unsafe.Add(ref weight, i) * (phi - Unsafe.Add(ref mean, i));
            }

            Vector256.StoreUnsafe(Vector256.FusedMultiplyAdd(window, Vector256.Create(upstream), Vector256.LoadUnsafe(ref grows, at)), ref grows, at);
            double slopeSum = inputGradient ? Math.FusedMultiplyAdd(Unsafe.Add(ref dbx, i), scaleBase, Vector256.Sum(Vector256.LoadUnsafe(ref slopes, slot) * row)) : 0.0;
            Unsafe.Add(ref gx, i) = upstream * slopeSum;
            Unsafe.Add(ref gsb, i) += Unsafe.Add(ref bx, i) * upstream;
            if (regularized)
            {
                Unsafe.Add(ref gx, i) += Unsafe.Add(ref nodeWeight, i) * (Unsafe.Add(ref sc, first + i) - Unsafe.Add(ref nodeMean, i));
            }
        }
    }

    // ---- Checks. ----

    private void Check(int input, int output, int parameters, int knots, int masks)
    {
        if (input != _inputs || output < _outputs || parameters != _layout.ParameterCount || knots != _layout.KnotTableLength || masks != _edges)
        {
            ThrowBufferMismatch(_inputs, _outputs, _layout.ParameterCount, _layout.KnotTableLength, _edges, input, output, parameters, knots, masks);
        }
    }

    private void CheckKnotTable(int knots)
    {
        if (knots != _layout.KnotTableLength)
        {
            ThrowBufferMismatch(_inputs, _outputs, _layout.ParameterCount, _layout.KnotTableLength, _edges, _inputs, _outputs, _layout.ParameterCount, knots, _edges);
        }
    }

    private void CheckFoldBuffers(int parameters, int masks, int length)
    {
        if (parameters != _layout.ParameterCount || masks != _edges)
        {
            ThrowBufferMismatch(_inputs, _outputs, _layout.ParameterCount, _layout.KnotTableLength, _edges, _inputs, _outputs, parameters, _layout.KnotTableLength, masks);
        }

        if (length < _foldedLength)
        {
            ThrowFoldedMismatch(_foldedLength, length);
        }
    }

    private static NotSupportedException NotMirrored() => new NotSupportedException("The run-time-shaped kernel mirrors only the plain forward, trace and batch paths.");

    /// <summary>vbx, vdbx, vb_r and vd_r of EdgeWidthEmitter's Backprop: the input's b(x), b'(x), window and slopes in every lane.</summary>
    private readonly struct Broadcasts
    {
        public Broadcasts(double bx, double dbx, ref double window, ref double slopes)
        {
            Bx = Vector256.Create(bx);
            Dbx = Vector256.Create(dbx);
            B0 = Vector256.Create(window);
            B1 = Vector256.Create(Unsafe.Add(ref window, 1));
            B2 = Vector256.Create(Unsafe.Add(ref window, 2));
            B3 = Vector256.Create(Unsafe.Add(ref window, 3));
            D0 = Vector256.Create(slopes);
            D1 = Vector256.Create(Unsafe.Add(ref slopes, 1));
            D2 = Vector256.Create(Unsafe.Add(ref slopes, 2));
            D3 = Vector256.Create(Unsafe.Add(ref slopes, 3));
        }

        public Vector256<double> Bx { get; }

        public Vector256<double> Dbx { get; }

        public Vector256<double> B0 { get; }

        public Vector256<double> B1 { get; }

        public Vector256<double> B2 { get; }

        public Vector256<double> B3 { get; }

        public Vector256<double> D0 { get; }

        public Vector256<double> D1 { get; }

        public Vector256<double> D2 { get; }

        public Vector256<double> D3 { get; }
    }

    /// <summary>One thread's buffers for this shape: the emitted kernel's thread-static ones, per instance.</summary>
    private sealed class Buffers
    {
        public Buffers(RuntimeShapedKernel kernel)
        {
            Folded = new AlignedBuffer(kernel._foldedLength);
            FoldedGradient = new AlignedBuffer(kernel._foldedLength);
            Scratch = new AlignedBuffer(SampleBlock * kernel._scratchLength);
            Starts = new int[SampleBlock * kernel._nodes];
            ForwardScratch = new double[kernel._scratchLength];
            ForwardStarts = new int[kernel._nodes];
            Nodes = new double[kernel._nodes];
            Polynomials = new double[kernel._polynomialLength + kernel._inner * LatticeStride];
            PolynomialKnots = new double[kernel._inner * kernel._padded];
        }

        public AlignedBuffer Folded { get; }

        public AlignedBuffer FoldedGradient { get; }

        public AlignedBuffer Scratch { get; }

        public int[] Starts { get; }

        public double[] ForwardScratch { get; }

        public int[] ForwardStarts { get; }

        public double[] Nodes { get; }

        public double[] Polynomials { get; }

        public double[] PolynomialKnots { get; }

        public bool PolynomialsValid { get; set; }
    }
}
