using KanCompile.Compilation;
using KanCompile.Generators.Emit;
using KanCompile.Generators.Model;

namespace KanCompile.Symbolic;

/// <summary>
/// The kernel a model computes through while symbolic edges are live: a thin view that binds the model's
/// <see cref="SymbolicEdgeTable"/> to the mixed entry points of its spline kernel (generated, compiled on demand,
/// or the reference engine), so every caller of <see cref="KanKernel"/> (Predict, Fit, attribution, grid samples)
/// gets φ + ψ without knowing about symbolic edges. Creating it compiles nothing: one kernel per shape serves every
/// symbolic configuration.
/// <para>
/// Parameters: a span of <c>KernelLayout.ParameterCount</c> values reads the affine parameters from the model's
/// table; a span of <see cref="CombinedParameterCount"/> values (splines, then (a, b, c, d) of every edge in edge
/// order) reads them from its tail, and a parameter gradient of that length receives their gradient there. Fit
/// trains that combined vector. Trace's edge values are the numeric φ only (pykan's <c>spline_postacts</c>, which the
/// regulariser penalises); node values include ψ.
/// </para>
/// </summary>
internal sealed class SymbolicMixedKernel : KanKernel
{
    private readonly KernelLayout _layout;
    private readonly SymbolicEdgeTable _table;

    public SymbolicMixedKernel(KernelSpec spec, KanKernel inner, SymbolicEdgeTable table)
        : base(spec.Widths, spec.GridSize, spec.SplineOrder, (KanBaseFunction)spec.BaseFunction)
    {
        _layout = new KernelLayout(spec);
        Inner = inner;
        _table = table;
        if (table.EdgeCount != _layout.EdgeCount)
        {
            throw new ArgumentException($"The symbolic table has {table.EdgeCount} edges; the layout has {_layout.EdgeCount}.", nameof(table));
        }
    }

    /// <summary>The spline kernel whose mixed entry points this view calls.</summary>
    public KanKernel Inner { get; }

    /// <summary>Splines followed by the affine parameters of every edge.</summary>
    public int CombinedParameterCount => _layout.ParameterCount + _table.Affine.Length;

    public override void Forward(ReadOnlySpan<double> input, Span<double> output, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks)
    {
        var symbolic = _table.Spans(Affine(parameters));
        Inner.ForwardSymbolic(input, output, Splines(parameters), knots, masks, in symbolic);
    }

    public override void Trace(ReadOnlySpan<double> input, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, Span<double> nodeValues, Span<double> edgeValues, Span<double> splineValues)
    {
        var symbolic = _table.Spans(Affine(parameters));
        Inner.TraceSymbolic(input, Splines(parameters), knots, masks, in symbolic, nodeValues, edgeValues, splineValues, default);
    }

    /// <summary><see cref="Trace"/> that also records every edge's symbolic value ψ (for attribution: pykan's
    /// <c>edge_actscale</c> is the spread of φ + ψ).</summary>
    public void TraceWithSymbolic(ReadOnlySpan<double> input, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, Span<double> nodeValues, Span<double> edgeValues, Span<double> splineValues, Span<double> symbolicValues)
    {
        if (symbolicValues.Length != _layout.EdgeCount)
        {
            ThrowTraceMismatch(_layout.NodeCount, _layout.EdgeCount, nodeValues.Length, symbolicValues.Length, splineValues.Length);
        }

        var symbolic = _table.Spans(Affine(parameters));
        Inner.TraceSymbolic(input, Splines(parameters), knots, masks, in symbolic, nodeValues, edgeValues, splineValues, symbolicValues);
    }

    public override double Backward(ReadOnlySpan<double> input, ReadOnlySpan<double> target, bool targetIsLabel, double scale, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, Span<double> parameterGradient, Span<double> inputGradient, in EdgeStatisticGradient statistics)
    {
        var symbolic = _table.Spans(Affine(parameters));
        return Inner.BackwardSymbolic(input, target, targetIsLabel, scale, Splines(parameters), knots, masks, in symbolic, SplineGradient(parameterGradient), AffineGradient(parameterGradient), inputGradient, in statistics);
    }

    public override void ForwardBatch(ReadOnlySpan<double> inputs, Span<double> outputs, int count, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks)
    {
        var symbolic = _table.Spans(Affine(parameters));
        Inner.ForwardBatchSymbolic(inputs, outputs, count, Splines(parameters), knots, masks, in symbolic);
    }

    public override double SquaredErrorGradientBatch(ReadOnlySpan<double> inputs, ReadOnlySpan<double> labels, int count, double scale, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, Span<double> parameterGradient, in EdgeStatisticGradient statistics)
    {
        var symbolic = _table.Spans(Affine(parameters));
        return Inner.SquaredErrorGradientBatchSymbolic(inputs, labels, count, scale, Splines(parameters), knots, masks, in symbolic, SplineGradient(parameterGradient), AffineGradient(parameterGradient), in statistics);
    }

    public override void InputDerivatives(ReadOnlySpan<double> input, Span<double> output, Span<double> jacobian, Span<double> hessian, SecondDerivatives second, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks)
    {
        var symbolic = _table.Spans(Affine(parameters));
        Inner.InputDerivativesSymbolic(input, output, jacobian, hessian, second, Splines(parameters), knots, masks, in symbolic);
    }

    public override double InputDerivativeLossGradient(ReadOnlySpan<double> inputs, int firstSample, int count, SecondDerivatives second, InputDerivativeLoss loss, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, Span<double> parameterGradient)
    {
        var symbolic = _table.Spans(Affine(parameters));
        return Inner.InputDerivativeLossGradientSymbolic(inputs, firstSample, count, second, loss, Splines(parameters), knots, masks, in symbolic, SplineGradient(parameterGradient), AffineGradient(parameterGradient));
    }

    public override double LossGradientBatch(ReadOnlySpan<double> inputs, ReadOnlySpan<double> labels, int count, double scale, KanLoss loss, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, Span<double> parameterGradient, in EdgeStatisticGradient statistics)
    {
        var symbolic = _table.Spans(Affine(parameters));
        return Inner.LossGradientBatchSymbolic(inputs, labels, count, scale, loss, Splines(parameters), knots, masks, in symbolic, SplineGradient(parameterGradient), AffineGradient(parameterGradient), in statistics);
    }

    // A view of a view has nothing to add: explicit configurations go straight to the spline kernel.
    public override void ForwardSymbolic(ReadOnlySpan<double> input, Span<double> output, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic) =>
        Inner.ForwardSymbolic(input, output, parameters, knots, masks, in symbolic);

    public override void TraceSymbolic(ReadOnlySpan<double> input, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic, Span<double> nodeValues, Span<double> edgeValues, Span<double> splineValues, Span<double> symbolicValues) =>
        Inner.TraceSymbolic(input, parameters, knots, masks, in symbolic, nodeValues, edgeValues, splineValues, symbolicValues);

    public override double BackwardSymbolic(ReadOnlySpan<double> input, ReadOnlySpan<double> target, bool targetIsLabel, double scale, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic, Span<double> parameterGradient, Span<double> affineGradient, Span<double> inputGradient, in EdgeStatisticGradient statistics) =>
        Inner.BackwardSymbolic(input, target, targetIsLabel, scale, parameters, knots, masks, in symbolic, parameterGradient, affineGradient, inputGradient, in statistics);

    public override void ForwardBatchSymbolic(ReadOnlySpan<double> inputs, Span<double> outputs, int count, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic) =>
        Inner.ForwardBatchSymbolic(inputs, outputs, count, parameters, knots, masks, in symbolic);

    public override double SquaredErrorGradientBatchSymbolic(ReadOnlySpan<double> inputs, ReadOnlySpan<double> labels, int count, double scale, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic, Span<double> parameterGradient, Span<double> affineGradient, in EdgeStatisticGradient statistics) =>
        Inner.SquaredErrorGradientBatchSymbolic(inputs, labels, count, scale, parameters, knots, masks, in symbolic, parameterGradient, affineGradient, in statistics);

    public override void InputDerivativesSymbolic(ReadOnlySpan<double> input, Span<double> output, Span<double> jacobian, Span<double> hessian, SecondDerivatives second, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic) =>
        Inner.InputDerivativesSymbolic(input, output, jacobian, hessian, second, parameters, knots, masks, in symbolic);

    public override double InputDerivativeLossGradientSymbolic(ReadOnlySpan<double> inputs, int firstSample, int count, SecondDerivatives second, InputDerivativeLoss loss, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic, Span<double> parameterGradient, Span<double> affineGradient) =>
        Inner.InputDerivativeLossGradientSymbolic(inputs, firstSample, count, second, loss, parameters, knots, masks, in symbolic, parameterGradient, affineGradient);

    public override double LossGradientBatchSymbolic(ReadOnlySpan<double> inputs, ReadOnlySpan<double> labels, int count, double scale, KanLoss loss, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic, Span<double> parameterGradient, Span<double> affineGradient, in EdgeStatisticGradient statistics) =>
        Inner.LossGradientBatchSymbolic(inputs, labels, count, scale, loss, parameters, knots, masks, in symbolic, parameterGradient, affineGradient, in statistics);

    private ReadOnlySpan<double> Affine(ReadOnlySpan<double> parameters)
    {
        CheckParameters(parameters.Length);
        return parameters.Length == _layout.ParameterCount ? _table.Affine : parameters.Slice(_layout.ParameterCount);
    }

    private ReadOnlySpan<double> Splines(ReadOnlySpan<double> parameters) => parameters.Slice(0, _layout.ParameterCount);

    private Span<double> SplineGradient(Span<double> parameterGradient)
    {
        if (parameterGradient.Length != _layout.ParameterCount && parameterGradient.Length != CombinedParameterCount)
        {
            ThrowGradientMismatch(_layout.ParameterCount, _layout.Spec.Width(0), parameterGradient.Length, 0);
        }

        return parameterGradient.Slice(0, _layout.ParameterCount);
    }

    /// <summary>The affine tail of a combined gradient; empty for a spline-only gradient (the affine gradient is then dropped).</summary>
    private Span<double> AffineGradient(Span<double> parameterGradient) =>
        parameterGradient.Length == CombinedParameterCount ? parameterGradient.Slice(_layout.ParameterCount) : default;

    private void CheckParameters(int length)
    {
        if (length != _layout.ParameterCount && length != CombinedParameterCount)
        {
            throw new ArgumentException(
                $"A model with symbolic edges takes {_layout.ParameterCount} spline parameters, or {CombinedParameterCount} = splines followed by (a, b, c, d) of every edge; got {length}.", "parameters");
        }
    }
}
