namespace KanCompile.Numerics;

/// <summary>
/// A sum of squared residuals over a parameter vector, as Levenberg–Marquardt sees it: read and write the
/// parameters, evaluate the cost, and linearise (residuals and their Jacobian) at the current parameters.
/// </summary>
internal interface ILeastSquaresProblem
{
    /// <summary>Parameters the solver moves.</summary>
    int ParameterCount { get; }

    /// <summary>Residuals (rows of the Jacobian).</summary>
    int ResidualCount { get; }

    /// <summary>Copies the current parameters into <paramref name="destination"/>.</summary>
    void ReadParameters(Span<double> destination);

    /// <summary>Makes <paramref name="source"/> the current parameters.</summary>
    void WriteParameters(ReadOnlySpan<double> source);

    /// <summary>Sum of squared residuals at the current parameters; +∞ when some residual is not finite.</summary>
    double Cost();

    /// <summary>
    /// Writes the residuals (prediction − label) at the current parameters and the Jacobian of the residuals,
    /// row-major [<see cref="ResidualCount"/>][<see cref="ParameterCount"/>].
    /// </summary>
    void Linearize(Span<double> jacobian, Span<double> residuals);
}
