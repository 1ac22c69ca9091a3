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
}
