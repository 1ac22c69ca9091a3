namespace KanCompile.Splines;

/// <summary>
/// The reference B-spline basis: pykan's <c>B_batch</c> recursion (kan-math §2.3) written for clarity,
/// computing all G+k functions densely. It is the oracle the compiled kernels are tested against.
/// <list type="bullet">
/// <item>order 0: B_{i,0}(x) = 1 if t_i ≤ x &lt; t_{i+1} (half-open), else 0;</item>
/// <item>order p: B_{i,p} = (x − t_i)/(t_{i+p} − t_i)·B_{i,p−1} + (t_{i+p+1} − x)/(t_{i+p+1} − t_{i+1})·B_{i+1,p−1};</item>
/// <item>as pykan's <c>nan_to_num</c>: an entry that comes out NaN (coincident knots) becomes 0.</item>
/// </list>
/// Outside [t_0, t_M) every function is exactly 0: no clamping, no extrapolation.
/// </summary>
public static class BSplineBasis
{
    /// <summary>Values B_{m,k}(x) for m = 0..G+k−1 into <paramref name="values"/>.</summary>
    /// <param name="x">The point.</param>
    /// <param name="knots">The extended knot row (G+2k+1 knots).</param>
    /// <param name="order">Spline order k.</param>
    /// <param name="values">Receives G+k values.</param>
    public static void Evaluate(double x, ReadOnlySpan<double> knots, int order, Span<double> values)
    {
        Evaluate(x, knots, order, values, default);
    }

    /// <summary>Values and x-derivatives (the derivative of the recursion itself, as autograd computes it).</summary>
    public static void Evaluate(double x, ReadOnlySpan<double> knots, int order, Span<double> values, Span<double> derivatives)
    {
        int m = knots.Length - 1;
        bool withDerivative = !derivatives.IsEmpty;
        Span<double> level = stackalloc double[m];
        Span<double> slope = stackalloc double[m];
        for (int i = 0; i < m; i++)
        {
            level[i] = knots[i] <= x && x < knots[i + 1] ? 1.0 : 0.0;
            slope[i] = 0.0;
        }

        for (int p = 1; p <= order; p++)
        {
            for (int i = 0; i < m - p; i++)
            {
                double leftDenominator = knots[i + p] - knots[i];
                double rightDenominator = knots[i + p + 1] - knots[i + 1];
                double left = (x - knots[i]) / leftDenominator;
                double right = (knots[i + p + 1] - x) / rightDenominator;
                double value = left * level[i] + right * level[i + 1];
                double derivative = level[i] / leftDenominator + left * slope[i] - level[i + 1] / rightDenominator + right * slope[i + 1];
                level[i] = NanToZero(value);
                slope[i] = double.IsNaN(value) ? 0.0 : NanToZero(derivative);
            }
        }

        int count = m - order;
        level.Slice(0, count).CopyTo(values);
        if (withDerivative)
        {
            slope.Slice(0, count).CopyTo(derivatives);
        }
    }

    /// <summary>Spline value Σ_m c_m B_{m,k}(x).</summary>
    public static double Spline(double x, ReadOnlySpan<double> knots, int order, ReadOnlySpan<double> coefficients)
    {
        Span<double> basis = stackalloc double[knots.Length - 1 - order];
        Evaluate(x, knots, order, basis);
        double sum = 0.0;
        for (int m = 0; m < basis.Length; m++)
        {
            sum += coefficients[m] * basis[m];
        }

        return sum;
    }

    private static double NanToZero(double value) => double.IsNaN(value) ? 0.0 : value;
}
