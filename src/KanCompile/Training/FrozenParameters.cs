using KanCompile.Generators.Emit;

namespace KanCompile.Training;

/// <summary>
/// The parameter groups a fit keeps fixed (pykan's <c>sb_trainable</c> / <c>sp_trainable</c> set to false). Their
/// gradient entries (and Levenberg–Marquardt's Jacobian columns) are zeroed, so every optimiser's step leaves them
/// bit-unchanged: L-BFGS's direction and Adam's moments stay exactly 0 there, and Levenberg–Marquardt's damped
/// system decouples them with a zero right-hand side.
/// </summary>
internal readonly struct FrozenParameters
{
    private readonly bool _scaleBase;
    private readonly bool _scaleSpline;

    public FrozenParameters(FitOptions options)
    {
        _scaleBase = !options.ScaleBaseTrainable;
        _scaleSpline = !options.ScaleSplineTrainable;
    }

    /// <summary>True when some group is frozen.</summary>
    public bool Any => _scaleBase || _scaleSpline;

    /// <summary>Zeroes the frozen entries of a gradient (or Jacobian row) laid out as <paramref name="layout"/>'s parameters (any trailing symbolic affine values untouched).</summary>
    public void Clear(KernelLayout layout, Span<double> values)
    {
        for (int l = 0; l < layout.Spec.Depth; l++)
        {
            int edges = layout.ScaleSplineOffset[l] - layout.ScaleBaseOffset[l];
            if (_scaleBase)
            {
                values.Slice(layout.ScaleBaseOffset[l], edges).Clear();
            }

            if (_scaleSpline)
            {
                values.Slice(layout.ScaleSplineOffset[l], edges).Clear();
            }
        }
    }
}
