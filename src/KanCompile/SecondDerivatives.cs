namespace KanCompile;

/// <summary>Which second input derivatives <see cref="KanModel.InputDerivatives"/> computes beside the Jacobian.</summary>
public enum SecondDerivatives
{
    /// <summary>None: the outputs and the Jacobian ∂y_o/∂x_i only.</summary>
    None = 0,

    /// <summary>
    /// The Hessian's diagonal ∂²y_o/∂x_i², <c>[output][input]</c> (what Laplacians and most PDE residuals need; cost
    /// grows with the number of inputs n, not n²).
    /// </summary>
    Diagonal = 1,

    /// <summary>The full Hessian ∂²y_o/∂x_i∂x_j, <c>[output][input][input]</c> (symmetric; mixed partials for separability tests).</summary>
    Full = 2,
}
