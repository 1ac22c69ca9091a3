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

    /// <summary>Thrown by kernels when a folded table or its gradient is shorter than <see cref="FoldedLength"/>.</summary>
    [DoesNotReturn]
    public static void ThrowFoldedMismatch(int foldedLength, int actual) =>
        throw new ArgumentException(
            $"A folded table or folded gradient must hold at least {foldedLength} values (KanKernel.FoldedLength); got {actual}.");

    [DoesNotReturn]
    private void ThrowNoFoldedPath() =>
        throw new NotSupportedException(
            $"The {GetType().Name} kernel has no folded batch path (FoldedLength is 0); call SquaredErrorGradientBatch instead.");
}
