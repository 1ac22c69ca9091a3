namespace KanCompile.Pde;

/// <summary>The gradient of a known solution at x, written into <paramref name="gradient"/> (one entry per coordinate).</summary>
public delegate void PdeGradientFunction(ReadOnlySpan<double> x, Span<double> gradient);

/// <summary>
/// Errors of a trained solution against a known one over a set of points, as the KAN paper reports them (§3.4): the
/// squared L2 error mean (u − u*)², the squared H1 error mean [(u − u*)² + |∇u − ∇u*|²], and the relative L2 error
/// √(Σ (u − u*)² / Σ u*²).
/// </summary>
/// <param name="L2Squared">Mean of (u − u*)² (pykan's tutorial prints this as "l2").</param>
/// <param name="H1Squared">Mean of (u − u*)² + |∇u − ∇u*|²; NaN when no exact gradient was given.</param>
/// <param name="RelativeL2">√(Σ (u − u*)² / Σ u*²).</param>
public readonly record struct PdeSolutionError(double L2Squared, double H1Squared, double RelativeL2)
{
    /// <summary>Measures the model's first output against <paramref name="exact"/> (and its gradient, for H1) at <paramref name="points"/>.</summary>
    public static PdeSolutionError Measure(KanModel model, PdePoints points, PdeFunction exact, PdeGradientFunction? exactGradient = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(exact);
        int n = model.InputCount, m = model.OutputCount, count = points.Count;
        if (points.Dimensions != n)
        {
            throw new ArgumentException($"The points have {points.Dimensions} coordinates; the model has {n} inputs.", nameof(points));
        }

        var outputs = new double[count * m];
        var jacobians = new double[count * m * n];
        model.InputDerivativesBatch(points.Coordinates, outputs, jacobians);
        var gradient = new double[n];
        double squares = 0.0, gradientSquares = 0.0, norm = 0.0;
        for (int s = 0; s < count; s++)
        {
            double truth = exact(points[s]);
            double error = outputs[s * m] - truth;
            squares += error * error;
            norm += truth * truth;
            if (exactGradient is not null)
            {
                exactGradient(points[s], gradient);
                for (int i = 0; i < n; i++)
                {
                    double difference = jacobians[s * m * n + i] - gradient[i];
                    gradientSquares += difference * difference;
                }
            }
        }

        return new PdeSolutionError(
            squares / count,
            exactGradient is null ? double.NaN : (squares + gradientSquares) / count,
            Math.Sqrt(squares / norm));
    }
}
