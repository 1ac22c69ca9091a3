using System.Runtime.InteropServices;

namespace KanCompile.Compilation;

/// <summary>
/// Losses other than the squared error on the batch paths. The seam is one call per sample between a batch's forward
/// and backward passes: <see cref="SampleLoss"/> turns the sample's outputs and labels into its loss and scale·dL/dy,
/// which the backward pass then propagates exactly as it propagates the squared error's 2·scale·(y − label). The
/// squared error itself (<see cref="KanLoss.MeanSquaredError"/>) keeps its inline code, so its bits do not change.
/// </summary>
public abstract partial class KanKernel
{
    /// <summary>
    /// Σ_s L_s over a batch for <paramref name="loss"/>; adds scale·(dL_s/dy)·dy/dθ into <paramref name="parameterGradient"/>.
    /// For <see cref="KanLoss.MeanSquaredError"/> this is <see cref="SquaredErrorGradientBatch"/>. The default runs a
    /// forward pass, the loss and <see cref="Backward"/> sample by sample (the readable kernels); generated kernels
    /// override it with their vectorised batch path.
    /// </summary>
    public virtual double LossGradientBatch(ReadOnlySpan<double> inputs, ReadOnlySpan<double> labels, int count, double scale, KanLoss loss, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, Span<double> parameterGradient, in EdgeStatisticGradient statistics)
    {
        ArgumentNullException.ThrowIfNull(loss);
        if (IsSquaredError(loss))
        {
            return SquaredErrorGradientBatch(inputs, labels, count, scale, parameters, knots, masks, parameterGradient, in statistics);
        }

        return PerSampleLoss(inputs, labels, count, scale, loss, parameters, knots, masks, default, useSymbolic: false, parameterGradient, default, in statistics);
    }

    /// <summary>
    /// <see cref="LossGradientBatch"/> with the parameters as a folded table (<see cref="Fold"/>), as
    /// <see cref="SquaredErrorGradientFolded"/>: adds dL/dF into <paramref name="foldedGradient"/>.
    /// </summary>
    public virtual double LossGradientFolded(ReadOnlySpan<double> inputs, ReadOnlySpan<double> labels, int count, double scale, KanLoss loss, ReadOnlySpan<double> folded, ReadOnlySpan<double> knots, Span<double> foldedGradient, in EdgeStatisticGradient statistics)
    {
        ThrowNoFoldedPath();
        return 0.0;
    }

    /// <summary>
    /// <see cref="LossGradientBatch"/> with symbolic branches, as <see cref="SquaredErrorGradientBatchSymbolic"/>. The
    /// default runs <see cref="ForwardSymbolic"/>, the loss and <see cref="BackwardSymbolic"/> sample by sample.
    /// </summary>
    public virtual double LossGradientBatchSymbolic(ReadOnlySpan<double> inputs, ReadOnlySpan<double> labels, int count, double scale, KanLoss loss, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic, Span<double> parameterGradient, Span<double> affineGradient, in EdgeStatisticGradient statistics)
    {
        ArgumentNullException.ThrowIfNull(loss);
        if (IsSquaredError(loss))
        {
            return SquaredErrorGradientBatchSymbolic(inputs, labels, count, scale, parameters, knots, masks, in symbolic, parameterGradient, affineGradient, in statistics);
        }

        return PerSampleLoss(inputs, labels, count, scale, loss, parameters, knots, masks, in symbolic, useSymbolic: true, parameterGradient, affineGradient, in statistics);
    }

    /// <summary>
    /// The batch paths' per-sample seam: the loss of one sample whose <paramref name="count"/> outputs start at
    /// <paramref name="outputs"/> and labels at <paramref name="labels"/>; writes scale·dL/dy from
    /// <paramref name="outputGradient"/> on.
    /// </summary>
    protected static double SampleLoss(KanLoss loss, ref double outputs, ref double labels, ref double outputGradient, int count, double scale) =>
        ScaledLoss(loss, MemoryMarshal.CreateReadOnlySpan(ref outputs, count), MemoryMarshal.CreateReadOnlySpan(ref labels, count), MemoryMarshal.CreateSpan(ref outputGradient, count), scale);

    /// <summary>Whether <paramref name="loss"/> is the squared error the kernels compute inline.</summary>
    protected static bool IsSquaredError(KanLoss loss) => ReferenceEquals(loss, KanLoss.MeanSquaredError);

    /// <summary>
    /// The readable path: per sample, a forward pass, the loss (scale·dL/dy) and <see cref="Backward"/> (or, with
    /// <paramref name="useSymbolic"/>, their symbolic counterparts) with that output gradient.
    /// </summary>
    private double PerSampleLoss(ReadOnlySpan<double> inputs, ReadOnlySpan<double> labels, int count, double scale, KanLoss loss, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic, bool useSymbolic, Span<double> parameterGradient, Span<double> affineGradient, in EdgeStatisticGradient statistics)
    {
        int inputCount = Widths[0], outputCount = Widths[Widths.Count - 1];
        CheckLossBatch(inputs, labels, count, inputCount, outputCount);
        Span<double> outputs = outputCount <= MaxStackOutputs ? stackalloc double[2 * outputCount] : new double[2 * outputCount];
        Span<double> y = outputs.Slice(0, outputCount), gradient = outputs.Slice(outputCount);
        double sum = 0.0;
        for (int s = 0; s < count; s++)
        {
            ReadOnlySpan<double> input = inputs.Slice(s * inputCount, inputCount);
            if (useSymbolic)
            {
                ForwardSymbolic(input, y, parameters, knots, masks, in symbolic);
            }
            else
            {
                Forward(input, y, parameters, knots, masks);
            }

            sum += ScaledLoss(loss, y, labels.Slice(s * outputCount, outputCount), gradient, scale);
            if (useSymbolic)
            {
                BackwardSymbolic(input, gradient, false, 1.0, parameters, knots, masks, in symbolic, parameterGradient, affineGradient, default, in statistics);
            }
            else
            {
                Backward(input, gradient, false, 1.0, parameters, knots, masks, parameterGradient, default, in statistics);
            }
        }

        return sum;
    }

    /// <summary>Outputs up to which the per-sample loss buffers live on the stack.</summary>
    private const int MaxStackOutputs = 128;

    private static double ScaledLoss(KanLoss loss, ReadOnlySpan<double> outputs, ReadOnlySpan<double> labels, Span<double> outputGradient, double scale)
    {
        double value = loss.Evaluate(outputs, labels, outputGradient);
        for (int o = 0; o < outputGradient.Length; o++)
        {
            outputGradient[o] *= scale;
        }

        return value;
    }

    private static void CheckLossBatch(ReadOnlySpan<double> inputs, ReadOnlySpan<double> labels, int count, int inputCount, int outputCount)
    {
        if (count < 0 || inputs.Length < (long)count * inputCount || labels.Length < (long)count * outputCount)
        {
            ThrowBatchMismatch(count, inputCount, outputCount, inputs.Length, labels.Length);
        }
    }
}
