namespace KanCompile.Compilation;

/// <summary>
/// The mixed entry points: the same passes with every edge's symbolic branch ψ = smask·(c·f(a·x + b) + d) added to
/// its numeric branch φ at the node (kan-math §2.4). The symbolic configuration (masks, function ids, affine
/// parameters) is read from spans at run time, so one kernel per shape serves every configuration: fixing,
/// unfixing or retraining an edge never compiles anything.
/// </summary>
public abstract partial class KanKernel
{
    /// <summary>One sample forward with symbolic branches.</summary>
    public abstract void ForwardSymbolic(ReadOnlySpan<double> input, Span<double> output, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic);

    /// <summary>
    /// One sample forward with symbolic branches, recording node values (φ + ψ summed), each edge's numeric φ
    /// (pykan's <c>spline_postacts</c>, what the regulariser penalises), its unscaled spline value and, unless
    /// <paramref name="symbolicValues"/> is empty, its ψ.
    /// </summary>
    public abstract void TraceSymbolic(ReadOnlySpan<double> input, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic, Span<double> nodeValues, Span<double> edgeValues, Span<double> splineValues, Span<double> symbolicValues);

    /// <summary>
    /// One sample forward + backward with symbolic branches; as <see cref="Backward"/>, and also adds dL/d(a, b, c, d)
    /// of every edge into <paramref name="affineGradient"/> (four per edge, edge order) unless it is empty. The
    /// statistic terms act on φ alone, as pykan regularises the spline part only.
    /// </summary>
    public abstract double BackwardSymbolic(ReadOnlySpan<double> input, ReadOnlySpan<double> target, bool targetIsLabel, double scale, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic, Span<double> parameterGradient, Span<double> affineGradient, Span<double> inputGradient, in EdgeStatisticGradient statistics);

    /// <summary>
    /// <see cref="ForwardBatch"/> with symbolic branches. The default runs <see cref="ForwardSymbolic"/> sample by
    /// sample; generated kernels override it with direct calls.
    /// </summary>
    public virtual void ForwardBatchSymbolic(ReadOnlySpan<double> inputs, Span<double> outputs, int count, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic)
    {
        int inputCount = Widths[0], outputCount = Widths[Widths.Count - 1];
        if (count < 0 || inputs.Length < (long)count * inputCount || outputs.Length < (long)count * outputCount)
        {
            ThrowBatchMismatch(count, inputCount, outputCount, inputs.Length, outputs.Length);
        }

        for (int s = 0; s < count; s++)
        {
            ForwardSymbolic(inputs.Slice(s * inputCount, inputCount), outputs.Slice(s * outputCount, outputCount), parameters, knots, masks, in symbolic);
        }
    }

    /// <summary>
    /// <see cref="SquaredErrorGradientBatch"/> with symbolic branches: also adds the affine gradient (unless empty).
    /// The default runs <see cref="BackwardSymbolic"/> sample by sample; generated kernels override it.
    /// </summary>
    public virtual double SquaredErrorGradientBatchSymbolic(ReadOnlySpan<double> inputs, ReadOnlySpan<double> labels, int count, double scale, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic, Span<double> parameterGradient, Span<double> affineGradient, in EdgeStatisticGradient statistics)
    {
        int inputCount = Widths[0], outputCount = Widths[Widths.Count - 1];
        if (count < 0 || inputs.Length < (long)count * inputCount || labels.Length < (long)count * outputCount)
        {
            ThrowBatchMismatch(count, inputCount, outputCount, inputs.Length, labels.Length);
        }

        double sum = 0.0;
        for (int s = 0; s < count; s++)
        {
            sum += BackwardSymbolic(inputs.Slice(s * inputCount, inputCount), labels.Slice(s * outputCount, outputCount), true, scale, parameters, knots, masks, in symbolic, parameterGradient, affineGradient, default, in statistics);
        }

        return sum;
    }

    /// <summary>Thrown by kernels when the affine gradient is neither empty nor four values per edge.</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void ThrowAffineGradientMismatch(int edgeCount, int affineGradient) =>
        throw new ArgumentException(
            $"The affine gradient must have {edgeCount * SymbolicEdgeSpans.AffinePerEdge} values (a, b, c, d per edge) or none; got {affineGradient}.", nameof(affineGradient));
}
