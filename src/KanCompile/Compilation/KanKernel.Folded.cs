using System.Diagnostics.CodeAnalysis;

namespace KanCompile.Compilation;

/// <summary>
/// The folded batch path split into its three parts, so a multi-core caller folds the parameters once per
/// evaluation, lets every chunk of samples accumulate dL/dF in folded space, reduces the chunks' dL/dF and unfolds
/// once. <see cref="SquaredErrorGradientBatch"/> is the three parts in one call. Kernels without a folded path
/// (the readable reference kernel, wrappers) report <see cref="FoldedLength"/> 0.
/// </summary>
public abstract partial class KanKernel
{
    /// <summary>
    /// Length of the folded table F (mask·scale_sp·coef as [in][G+k][out], then mask·scale_base as [in][out], layer
    /// after layer) that <see cref="Fold"/> writes; 0 when the kernel has no folded batch path.
    /// </summary>
    public virtual int FoldedLength => 0;

    /// <summary>Writes the folded table of <paramref name="parameters"/> into the first <see cref="FoldedLength"/> values of <paramref name="folded"/>.</summary>
    public virtual void Fold(ReadOnlySpan<double> parameters, ReadOnlySpan<double> masks, Span<double> folded) => ThrowNoFoldedPath();

    /// <summary>
    /// Sum of squared errors over a batch, as <see cref="SquaredErrorGradientBatch"/>, with the parameters given as a
    /// folded table (<see cref="Fold"/>): adds dL/dF into <paramref name="foldedGradient"/> (same layout, not cleared).
    /// </summary>
    public virtual double SquaredErrorGradientFolded(ReadOnlySpan<double> inputs, ReadOnlySpan<double> labels, int count, double scale, ReadOnlySpan<double> folded, ReadOnlySpan<double> knots, Span<double> foldedGradient, in EdgeStatisticGradient statistics)
    {
        ThrowNoFoldedPath();
        return 0.0;
    }

    /// <summary>Adds dL/dθ into <paramref name="parameterGradient"/> from dL/dF (the chain rule through <see cref="Fold"/>).</summary>
    public virtual void UnfoldGradient(ReadOnlySpan<double> foldedGradient, ReadOnlySpan<double> parameters, ReadOnlySpan<double> masks, Span<double> parameterGradient) => ThrowNoFoldedPath();

    /// <summary>
    /// <see cref="Trace"/> for a batch through the folded table (<see cref="Fold"/>): writes every node value (row
    /// <c>s</c> of <paramref name="nodeValues"/>, <c>NodeCount</c> wide) and every edge activation φ (row <c>s</c> of
    /// <paramref name="edgeValues"/>, <c>EdgeCount</c> wide) of the <paramref name="count"/> samples. Agrees with
    /// <see cref="Trace"/> to rounding (the batch path's windows and sums), which is all the batch statistics of the
    /// regulariser need.
    /// </summary>
    public virtual void TraceFolded(ReadOnlySpan<double> inputs, int count, ReadOnlySpan<double> folded, ReadOnlySpan<double> knots, Span<double> nodeValues, Span<double> edgeValues) => ThrowNoFoldedPath();

    /// <summary>Thrown by kernels when a folded table or its gradient is shorter than <see cref="FoldedLength"/>.</summary>
    [DoesNotReturn]
    public static void ThrowFoldedMismatch(int foldedLength, int actual) =>
        throw new ArgumentException(
            $"A folded table or folded gradient must hold at least {foldedLength} values (KanKernel.FoldedLength); got {actual}.");

    /// <summary>Thrown by kernels when <see cref="TraceFolded"/>'s buffers do not hold <paramref name="count"/> samples.</summary>
    [DoesNotReturn]
    public static void ThrowTraceBatchMismatch(int count, int inputCount, int nodeCount, int edgeCount, int inputs, int nodes, int edges) =>
        throw new ArgumentException(
            $"A traced batch of {count} samples needs at least {(long)count * inputCount} inputs, {(long)count * nodeCount} node values and {(long)count * edgeCount} edge values; got {inputs}, {nodes} and {edges}.");

    [DoesNotReturn]
    private void ThrowNoFoldedPath() =>
        throw new NotSupportedException(
            $"The {GetType().Name} kernel has no folded batch path (FoldedLength is 0); call SquaredErrorGradientBatch instead.");
}
