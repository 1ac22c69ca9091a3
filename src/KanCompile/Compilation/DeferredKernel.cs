using KanCompile.Engine;
using KanCompile.Generators.Model;

namespace KanCompile.Compilation;

/// <summary>
/// The kernel of a shape whose compiled kernel is still on its way (Roslyn or the disk cache, on a thread-pool
/// thread): every member runs on <see cref="RuntimeShapedKernel"/> (the forward, trace, batch and folded paths,
/// Backward, the symbolic members, the input derivatives and their loss gradients) until the compiled kernel is ready,
/// then on the compiled kernel; a shape the mirror does not cover gets no DeferredKernel. The mirror gives the compiled kernel's bits, so
/// results do not depend on when the compile finishes, and a fit may switch between the two at any call. If the compile
/// fails (the reference engine stands in, see <see cref="KernelProvider"/>), the mirrored members stay on the mirror,
/// whose results are those the compiled kernel would have given.
/// </summary>
internal sealed class DeferredKernel : KanKernel
{
    private readonly Lazy<KanKernel> _pending;
    private readonly RuntimeShapedKernel _mirror;
    private KanKernel? _compiled;

    public DeferredKernel(KernelSpec spec, Lazy<KanKernel> pending, RuntimeShapedKernel mirror)
        : base(spec.Widths, spec.GridSize, spec.SplineOrder, (KanBaseFunction)(int)spec.BaseFunction)
    {
        _pending = pending;
        _mirror = mirror;
    }

    /// <summary>The kernel a <see cref="DeferredKernel"/> stands in for (waiting for its compile); any other kernel itself.</summary>
    public static KanKernel Settled(KanKernel kernel) => kernel is DeferredKernel deferred ? deferred.Compiled : kernel;

    /// <summary>Whether the compiled kernel (or the fallback that replaces a failed compile) is ready.</summary>
    public bool IsCompiled => _pending.IsValueCreated;

    /// <summary>The compiled kernel, waiting for the compile when it has not finished.</summary>
    public KanKernel Compiled => _compiled ??= _pending.Value;

    /// <summary>The kernel for a mirrored member: the compiled one once it is ready (unless it is the fallback), else the mirror.</summary>
    private KanKernel Fast
    {
        get
        {
            KanKernel? compiled = _compiled;
            if (compiled is null && _pending.IsValueCreated)
            {
                compiled = _compiled = _pending.Value;
            }

            return compiled is null or ReferenceKernel ? _mirror : compiled;
        }
    }

    /// <inheritdoc/>
    public override int FoldedLength => _mirror.FoldedLength;

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<double> input, Span<double> output, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks) =>
        Fast.Forward(input, output, parameters, knots, masks);

    /// <inheritdoc/>
    public override void Trace(ReadOnlySpan<double> input, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, Span<double> nodeValues, Span<double> edgeValues, Span<double> splineValues) =>
        Fast.Trace(input, parameters, knots, masks, nodeValues, edgeValues, splineValues);

    /// <inheritdoc/>
    public override void ForwardBatch(ReadOnlySpan<double> inputs, Span<double> outputs, int count, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks) =>
        Fast.ForwardBatch(inputs, outputs, count, parameters, knots, masks);

    /// <inheritdoc/>
    public override double SquaredErrorGradientBatch(ReadOnlySpan<double> inputs, ReadOnlySpan<double> labels, int count, double scale, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, Span<double> parameterGradient, in EdgeStatisticGradient statistics) =>
        Fast.SquaredErrorGradientBatch(inputs, labels, count, scale, parameters, knots, masks, parameterGradient, in statistics);

    /// <inheritdoc/>
    public override double LossGradientBatch(ReadOnlySpan<double> inputs, ReadOnlySpan<double> labels, int count, double scale, KanLoss loss, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, Span<double> parameterGradient, in EdgeStatisticGradient statistics) =>
        Fast.LossGradientBatch(inputs, labels, count, scale, loss, parameters, knots, masks, parameterGradient, in statistics);

    /// <inheritdoc/>
    public override void Fold(ReadOnlySpan<double> parameters, ReadOnlySpan<double> masks, Span<double> folded) =>
        Fast.Fold(parameters, masks, folded);

    /// <inheritdoc/>
    public override double SquaredErrorGradientFolded(ReadOnlySpan<double> inputs, ReadOnlySpan<double> labels, int count, double scale, ReadOnlySpan<double> folded, ReadOnlySpan<double> knots, Span<double> foldedGradient, in EdgeStatisticGradient statistics) =>
        Fast.SquaredErrorGradientFolded(inputs, labels, count, scale, folded, knots, foldedGradient, in statistics);

    /// <inheritdoc/>
    public override double LossGradientFolded(ReadOnlySpan<double> inputs, ReadOnlySpan<double> labels, int count, double scale, KanLoss loss, ReadOnlySpan<double> folded, ReadOnlySpan<double> knots, Span<double> foldedGradient, in EdgeStatisticGradient statistics) =>
        Fast.LossGradientFolded(inputs, labels, count, scale, loss, folded, knots, foldedGradient, in statistics);

    /// <inheritdoc/>
    public override void UnfoldGradient(ReadOnlySpan<double> foldedGradient, ReadOnlySpan<double> parameters, ReadOnlySpan<double> masks, Span<double> parameterGradient) =>
        Fast.UnfoldGradient(foldedGradient, parameters, masks, parameterGradient);

    /// <inheritdoc/>
    public override void TraceFolded(ReadOnlySpan<double> inputs, int count, ReadOnlySpan<double> folded, ReadOnlySpan<double> knots, Span<double> nodeValues, Span<double> edgeValues) =>
        Fast.TraceFolded(inputs, count, folded, knots, nodeValues, edgeValues);

    /// <inheritdoc/>
    public override double Backward(ReadOnlySpan<double> input, ReadOnlySpan<double> target, bool targetIsLabel, double scale, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, Span<double> parameterGradient, Span<double> inputGradient, in EdgeStatisticGradient statistics) =>
        Fast.Backward(input, target, targetIsLabel, scale, parameters, knots, masks, parameterGradient, inputGradient, in statistics);

    /// <inheritdoc/>
    public override void ForwardSymbolic(ReadOnlySpan<double> input, Span<double> output, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic) =>
        Fast.ForwardSymbolic(input, output, parameters, knots, masks, in symbolic);

    /// <inheritdoc/>
    public override void TraceSymbolic(ReadOnlySpan<double> input, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic, Span<double> nodeValues, Span<double> edgeValues, Span<double> splineValues, Span<double> symbolicValues) =>
        Fast.TraceSymbolic(input, parameters, knots, masks, in symbolic, nodeValues, edgeValues, splineValues, symbolicValues);

    /// <inheritdoc/>
    public override double BackwardSymbolic(ReadOnlySpan<double> input, ReadOnlySpan<double> target, bool targetIsLabel, double scale, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic, Span<double> parameterGradient, Span<double> affineGradient, Span<double> inputGradient, in EdgeStatisticGradient statistics) =>
        Fast.BackwardSymbolic(input, target, targetIsLabel, scale, parameters, knots, masks, in symbolic, parameterGradient, affineGradient, inputGradient, in statistics);

    /// <inheritdoc/>
    public override void ForwardBatchSymbolic(ReadOnlySpan<double> inputs, Span<double> outputs, int count, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic) =>
        Fast.ForwardBatchSymbolic(inputs, outputs, count, parameters, knots, masks, in symbolic);

    /// <inheritdoc/>
    public override double SquaredErrorGradientBatchSymbolic(ReadOnlySpan<double> inputs, ReadOnlySpan<double> labels, int count, double scale, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic, Span<double> parameterGradient, Span<double> affineGradient, in EdgeStatisticGradient statistics) =>
        Fast.SquaredErrorGradientBatchSymbolic(inputs, labels, count, scale, parameters, knots, masks, in symbolic, parameterGradient, affineGradient, in statistics);

    /// <inheritdoc/>
    public override double LossGradientBatchSymbolic(ReadOnlySpan<double> inputs, ReadOnlySpan<double> labels, int count, double scale, KanLoss loss, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic, Span<double> parameterGradient, Span<double> affineGradient, in EdgeStatisticGradient statistics) =>
        Fast.LossGradientBatchSymbolic(inputs, labels, count, scale, loss, parameters, knots, masks, in symbolic, parameterGradient, affineGradient, in statistics);

    /// <inheritdoc/>
    public override void InputDerivatives(ReadOnlySpan<double> input, Span<double> output, Span<double> jacobian, Span<double> hessian, SecondDerivatives second, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks) =>
        Fast.InputDerivatives(input, output, jacobian, hessian, second, parameters, knots, masks);

    /// <inheritdoc/>
    public override void InputDerivativesSymbolic(ReadOnlySpan<double> input, Span<double> output, Span<double> jacobian, Span<double> hessian, SecondDerivatives second, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic) =>
        Fast.InputDerivativesSymbolic(input, output, jacobian, hessian, second, parameters, knots, masks, in symbolic);

    /// <inheritdoc/>
    public override double InputDerivativeLossGradient(ReadOnlySpan<double> inputs, int firstSample, int count, SecondDerivatives second, InputDerivativeLoss loss, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, Span<double> parameterGradient) =>
        Fast.InputDerivativeLossGradient(inputs, firstSample, count, second, loss, parameters, knots, masks, parameterGradient);

    /// <inheritdoc/>
    public override double InputDerivativeLossGradientSymbolic(ReadOnlySpan<double> inputs, int firstSample, int count, SecondDerivatives second, InputDerivativeLoss loss, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic, Span<double> parameterGradient, Span<double> affineGradient) =>
        Fast.InputDerivativeLossGradientSymbolic(inputs, firstSample, count, second, loss, parameters, knots, masks, in symbolic, parameterGradient, affineGradient);
}
