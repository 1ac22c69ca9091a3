using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

namespace KanCompile.Compilation;

/// <summary>
/// The compute core of one model shape: forward, trace and backward over flat buffers laid out as
/// <c>KernelLayout</c> describes. Generated kernels (source generator or on-demand compiler) and the
/// reference engine derive from it. A model dispatches to its kernel once per call or per batch; inside a
/// generated kernel there are no virtual calls.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public abstract partial class KanKernel
{
    /// <summary>Describes the shape the kernel is specialised to.</summary>
    protected KanKernel(int[] widths, int gridSize, int splineOrder, KanBaseFunction baseFunction)
    {
        Widths = widths;
        GridSize = gridSize;
        SplineOrder = splineOrder;
        BaseFunction = baseFunction;
    }

    /// <summary>Layer widths.</summary>
    public IReadOnlyList<int> Widths { get; }

    /// <summary>Grid intervals G.</summary>
    public int GridSize { get; }

    /// <summary>Spline order k.</summary>
    public int SplineOrder { get; }

    /// <summary>Residual function.</summary>
    public KanBaseFunction BaseFunction { get; }

    /// <summary>One sample forward.</summary>
    public abstract void Forward(ReadOnlySpan<double> input, Span<double> output, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks);

    /// <summary>One sample forward recording node values, edge activations phi and unscaled spline values.</summary>
    public abstract void Trace(ReadOnlySpan<double> input, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, Span<double> nodeValues, Span<double> edgeValues, Span<double> splineValues);

    /// <summary>
    /// One sample forward + backward. With <paramref name="targetIsLabel"/> the output gradient is
    /// 2·scale·(y − label) and the squared error is returned; otherwise <paramref name="target"/> is dL/dy and 0 is returned.
    /// Adds into <paramref name="parameterGradient"/>; writes <paramref name="inputGradient"/> unless empty.
    /// </summary>
    public abstract double Backward(ReadOnlySpan<double> input, ReadOnlySpan<double> target, bool targetIsLabel, double scale, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, Span<double> parameterGradient, Span<double> inputGradient, in EdgeStatisticGradient statistics);

    /// <summary>
    /// Forward over <paramref name="count"/> row-major samples. The default runs <see cref="Forward"/> sample by
    /// sample (the readable kernels); generated kernels override it with their vectorised batch path.
    /// </summary>
    public virtual void ForwardBatch(ReadOnlySpan<double> inputs, Span<double> outputs, int count, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks)
    {
        int inputCount = Widths[0], outputCount = Widths[Widths.Count - 1];
        if (count < 0 || inputs.Length < (long)count * inputCount || outputs.Length < (long)count * outputCount)
        {
            ThrowBatchMismatch(count, inputCount, outputCount, inputs.Length, outputs.Length);
        }

        for (int s = 0; s < count; s++)
        {
            Forward(inputs.Slice(s * inputCount, inputCount), outputs.Slice(s * outputCount, outputCount), parameters, knots, masks);
        }
    }

    /// <summary>
    /// Sum of squared errors over a batch; adds 2·scale·(y−label)·dy/dθ into <paramref name="parameterGradient"/>.
    /// The default runs <see cref="Backward"/> sample by sample; generated kernels override it.
    /// </summary>
    public virtual double SquaredErrorGradientBatch(ReadOnlySpan<double> inputs, ReadOnlySpan<double> labels, int count, double scale, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, Span<double> parameterGradient, in EdgeStatisticGradient statistics)
    {
        int inputCount = Widths[0], outputCount = Widths[Widths.Count - 1];
        if (count < 0 || inputs.Length < (long)count * inputCount || labels.Length < (long)count * outputCount)
        {
            ThrowBatchMismatch(count, inputCount, outputCount, inputs.Length, labels.Length);
        }

        double sum = 0.0;
        for (int s = 0; s < count; s++)
        {
            sum += Backward(inputs.Slice(s * inputCount, inputCount), labels.Slice(s * outputCount, outputCount), true, scale, parameters, knots, masks, parameterGradient, default, in statistics);
        }

        return sum;
    }

    /// <summary>Thrown by kernels when a buffer does not match their shape.</summary>
    [DoesNotReturn]
    public static void ThrowBufferMismatch(int inputCount, int outputCount, int parameterCount, int knotCount, int edgeCount, int input, int output, int parameters, int knots, int masks)
    {
        if (input != inputCount)
        {
            throw new ArgumentException($"The input has {input} values but the model has {inputCount} inputs.", nameof(input));
        }

        if (output < outputCount)
        {
            throw new ArgumentException($"The output span has {output} values but the model has {outputCount} outputs.", nameof(output));
        }

        throw new ArgumentException(
            $"Kernel buffers do not match its shape: parameters {parameters} (expected {parameterCount}), knots {knots} (expected {knotCount}), masks {masks} (expected {edgeCount}).");
    }

    /// <summary>Thrown by kernels when gradient buffers do not match their shape.</summary>
    [DoesNotReturn]
    public static void ThrowGradientMismatch(int parameterCount, int inputCount, int parameterGradient, int inputGradient) =>
        throw new ArgumentException(
            $"The parameter gradient must have {parameterCount} values (got {parameterGradient}) and the input gradient {inputCount} values or none (got {inputGradient}).");

    /// <summary>Thrown by kernels when batch buffers do not hold <paramref name="count"/> samples.</summary>
    [DoesNotReturn]
    public static void ThrowBatchMismatch(int count, int inputCount, int outputCount, int inputs, int outputs) =>
        throw new ArgumentException(
            $"A batch of {count} samples needs {(long)count * inputCount} input values and {(long)count * outputCount} output/label values; got {inputs} and {outputs}.");

    /// <summary>Thrown by kernels when trace buffers do not match their shape.</summary>
    [DoesNotReturn]
    public static void ThrowTraceMismatch(int nodeCount, int edgeCount, int nodes, int edges, int splines) =>
        throw new ArgumentException(
            $"Trace buffers must have {nodeCount} node values and {edgeCount} edge and spline values; got {nodes}, {edges} and {splines}.");
}
