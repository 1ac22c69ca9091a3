namespace KanCompile;

/// <summary>The optimiser of <see cref="KanModel.Fit(KanDataset, FitOptions, IProgress{FitProgress}?, CancellationToken)"/> (pykan's <c>opt</c>).</summary>
public enum KanOptimizer
{
    /// <summary>
    /// L-BFGS with a strong-Wolfe line search, as pykan's <c>kan/LBFGS.py</c>: one step is up to 20 iterations
    /// and 25 evaluations, history 10.
    /// </summary>
    LBfgs,

    /// <summary>Adam with torch's defaults (betas 0.9/0.999, eps 1e-8): one gradient step per step.</summary>
    Adam,

    /// <summary>
    /// Levenberg–Marquardt on the squared error (not in pykan): one step is up to 20 damped Gauss–Newton iterations.
    /// Insensitive to how the parameters are scaled, it takes a formula with symbolic edges to machine precision
    /// where L-BFGS stalls on the badly scaled affine parameters symbolic fitting can leave. It builds dense normal
    /// equations in the trainable values, so use it on small models (pruned, or after symbolic fixing); the
    /// regulariser is not supported (Lambda must be 0) and LearningRate is not used (the damping adapts itself).
    /// </summary>
    LevenbergMarquardt,
}
