namespace KanCompile.Symbolic;

/// <summary>
/// The value of a symbolic edge y = c·f(a·x + b) + d and its partial derivatives, for training the affine
/// parameters and back-propagating through the edge.
/// </summary>
/// <param name="Value">y.</param>
/// <param name="DA">∂y/∂a = c·f'(u)·x with u = a·x + b.</param>
/// <param name="DB">∂y/∂b = c·f'(u).</param>
/// <param name="DC">∂y/∂c = f(u).</param>
/// <param name="DD">∂y/∂d = 1.</param>
/// <param name="DX">∂y/∂x = c·f'(u)·a.</param>
public readonly record struct SymbolicEdgeGradient(double Value, double DA, double DB, double DC, double DD, double DX)
{
    /// <summary>
    /// Evaluates c·f(a·x + b) + d and its gradient, with f's singularity-safe variant when
    /// <paramref name="yThreshold"/> is given (pykan's <c>singularity_avoiding=True, y_th</c>).
    /// </summary>
    public static SymbolicEdgeGradient Compute(SymbolicFunction function, SymbolicEdge edge, double x, double? yThreshold = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        double u = edge.A * x + edge.B;
        double f, df;
        if (yThreshold is double y)
        {
            f = function.EvaluateSafe(u, y);
            df = function.DerivativeSafe(u, y);
        }
        else
        {
            f = function.Evaluate(u);
            df = function.Derivative(u);
        }

        double outer = edge.C * df;
        return new SymbolicEdgeGradient(edge.C * f + edge.D, outer * x, outer, f, 1.0, outer * edge.A);
    }
}
