namespace KanCompile.Splines;

/// <summary>
/// The reference B-spline basis: pykan's <c>B_batch</c> recursion (kan-math §2.3) written for clarity,
/// computing all G+k functions densely. It is the oracle the compiled kernels are tested against.
/// <list type="bullet">
/// <item>order 0: B_{i,0}(x) = 1 if t_i ≤ x &lt; t_{i+1} (half-open), else 0;</item>
/// <item>order p: B_{i,p} = (x − t_i)/(t_{i+p} − t_i)·B_{i,p−1} + (t_{i+p+1} − x)/(t_{i+p+1} − t_{i+1})·B_{i+1,p−1};</item>
/// <item>as pykan's <c>nan_to_num</c>: an entry that comes out NaN (coincident knots) becomes 0.</item>
/// </list>
/// Outside [t_0, t_M) every function is exactly 0: no clamping, no extrapolation. That is pykan's behaviour beyond the
/// grid; the overloads with a <see cref="KanBeyondGrid"/> also give the smooth continuation (docs/grids.md).
/// </summary>
internal static class BSplineBasis
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
    public static void Evaluate(double x, ReadOnlySpan<double> knots, int order, Span<double> values, Span<double> derivatives) =>
        Evaluate(x, knots, order, values, derivatives, default, default);

    /// <summary>
    /// Values and the first three x-derivatives of the recursion (each empty span is skipped). Differentiating
    /// level p = left·B_{i,p−1} + right·B_{i+1,p−1}, whose factors are linear in x (left' = 1/(t_{i+p} − t_i),
    /// right' = −1/(t_{i+p+1} − t_{i+1})), r times by Leibniz's rule gives
    /// D^r B_{i,p} = r·D^{r−1}B_{i,p−1}/(t_{i+p} − t_i) + left·D^r B_{i,p−1} − r·D^{r−1}B_{i+1,p−1}/(t_{i+p+1} − t_{i+1}) + right·D^r B_{i+1,p−1},
    /// from D^r B_{i,0} = 0. These are the derivatives inside each knot interval: at order k a spline is
    /// C^{k−1}, so for k ≤ 2 the second derivative jumps at knots (and the third is 0 for k ≤ 2); at a knot the
    /// half-open interval rule picks the right-hand piece. An entry whose value comes out NaN (coincident knots)
    /// is 0 with all its derivatives.
    /// </summary>
    public static void Evaluate(double x, ReadOnlySpan<double> knots, int order, Span<double> values, Span<double> derivatives, Span<double> secondDerivatives, Span<double> thirdDerivatives) =>
        Recursion(x, knots, order, closedTop: false, values, derivatives, secondDerivatives, thirdDerivatives);

    /// <summary>
    /// Values and (where the spans are not empty) the first three x-derivatives with the given behaviour beyond the
    /// grid's real range [t_k, t_{G+k}]. <see cref="KanBeyondGrid.Pykan"/> is the plain recursion above.
    /// <see cref="KanBeyondGrid.Smooth"/> evaluates the recursion at the nearest point x̄ of [t_k, t_{G+k}], on the
    /// closed last interval [t_{G+k−1}, t_{G+k}] at the upper end (so the slope there is the last real piece's), and
    /// continues each function along its tangent: B̃_m(x) = B_m(x̄) + (x − x̄)·B_m'(x̄), B̃_m'(x) = B_m'(x̄), and the
    /// second and third derivatives are those at x̄ inside the range and 0 beyond it. The padding-zone knots still
    /// shape the first and last k functions inside the range; the basis sums to 1 everywhere.
    /// </summary>
    public static void Evaluate(double x, ReadOnlySpan<double> knots, int order, KanBeyondGrid beyondGrid, Span<double> values, Span<double> derivatives = default, Span<double> secondDerivatives = default, Span<double> thirdDerivatives = default)
    {
        if (beyondGrid != KanBeyondGrid.Smooth)
        {
            Recursion(x, knots, order, closedTop: false, values, derivatives, secondDerivatives, thirdDerivatives);
            return;
        }

        int count = knots.Length - 1 - order;
        double nearest = Math.Clamp(x, knots[order], knots[count]);
        Span<double> slope = derivatives.IsEmpty ? stackalloc double[count] : derivatives;
        Recursion(nearest, knots, order, closedTop: true, values, slope, secondDerivatives, thirdDerivatives);
        double beyond = x - nearest;
        for (int m = 0; m < count; m++)
        {
            values[m] += beyond * slope[m];
        }

        if (beyond != 0.0)
        {
            ClearIfWanted(secondDerivatives, count);
            ClearIfWanted(thirdDerivatives, count);
        }
    }

    /// <summary>
    /// The recursion and its derivatives at x. With <paramref name="closedTop"/> the last real interval
    /// [t_{G+k−1}, t_{G+k}] holds its right end (the half-open rule would give x = t_{G+k} to the padding interval).
    /// </summary>
    private static void Recursion(double x, ReadOnlySpan<double> knots, int order, bool closedTop, Span<double> values, Span<double> derivatives, Span<double> secondDerivatives, Span<double> thirdDerivatives)
    {
        int m = knots.Length - 1;
        int derivativeOrder = !thirdDerivatives.IsEmpty ? 3 : !secondDerivatives.IsEmpty ? 2 : !derivatives.IsEmpty ? 1 : 0;
        Span<double> level = stackalloc double[m];
        Span<double> slope = stackalloc double[m];
        Span<double> curvature = stackalloc double[m];
        Span<double> third = stackalloc double[m];
        for (int i = 0; i < m; i++)
        {
            level[i] = knots[i] <= x && x < knots[i + 1] ? 1.0 : 0.0;
        }

        int top = m - order;
        if (closedTop && x == knots[top])
        {
            level.Clear();
            level[top - 1] = 1.0;
        }

        slope.Clear();
        curvature.Clear();
        third.Clear();
        for (int p = 1; p <= order; p++)
        {
            for (int i = 0; i < m - p; i++)
            {
                double leftDenominator = knots[i + p] - knots[i];
                double rightDenominator = knots[i + p + 1] - knots[i + 1];
                double left = (x - knots[i]) / leftDenominator;
                double right = (knots[i + p + 1] - x) / rightDenominator;
                double value = left * level[i] + right * level[i + 1];
                bool lost = double.IsNaN(value);
                if (derivativeOrder >= 3)
                {
                    double d3 = 3.0 * curvature[i] / leftDenominator + left * third[i] - 3.0 * curvature[i + 1] / rightDenominator + right * third[i + 1];
                    third[i] = lost ? 0.0 : NanToZero(d3);
                }

                if (derivativeOrder >= 2)
                {
                    double d2 = 2.0 * slope[i] / leftDenominator + left * curvature[i] - 2.0 * slope[i + 1] / rightDenominator + right * curvature[i + 1];
                    curvature[i] = lost ? 0.0 : NanToZero(d2);
                }

                if (derivativeOrder >= 1)
                {
                    double derivative = level[i] / leftDenominator + left * slope[i] - level[i + 1] / rightDenominator + right * slope[i + 1];
                    slope[i] = lost ? 0.0 : NanToZero(derivative);
                }

                level[i] = NanToZero(value);
            }
        }

        int count = m - order;
        level.Slice(0, count).CopyTo(values);
        CopyIfWanted(slope, count, derivatives);
        CopyIfWanted(curvature, count, secondDerivatives);
        CopyIfWanted(third, count, thirdDerivatives);
    }

    /// <summary>Spline value Σ_m c_m B_{m,k}(x).</summary>
    public static double Spline(double x, ReadOnlySpan<double> knots, int order, ReadOnlySpan<double> coefficients) =>
        Spline(x, knots, order, KanBeyondGrid.Pykan, coefficients);

    /// <summary>Spline value Σ_m c_m B̃_{m,k}(x) with the given behaviour beyond the grid.</summary>
    public static double Spline(double x, ReadOnlySpan<double> knots, int order, KanBeyondGrid beyondGrid, ReadOnlySpan<double> coefficients)
    {
        Span<double> basis = stackalloc double[knots.Length - 1 - order];
        Evaluate(x, knots, order, beyondGrid, basis);
        double sum = 0.0;
        for (int m = 0; m < basis.Length; m++)
        {
            sum += coefficients[m] * basis[m];
        }

        return sum;
    }

    private static double NanToZero(double value) => double.IsNaN(value) ? 0.0 : value;

    private static void ClearIfWanted(Span<double> destination, int count)
    {
        if (!destination.IsEmpty)
        {
            destination.Slice(0, count).Clear();
        }
    }

    private static void CopyIfWanted(ReadOnlySpan<double> source, int count, Span<double> destination)
    {
        if (!destination.IsEmpty)
        {
            source.Slice(0, count).CopyTo(destination);
        }
    }
}
