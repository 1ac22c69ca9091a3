namespace KanCompile.Splines;

/// <summary>
/// The at most k+1 non-zero B-spline values at one point, computed with exactly the expressions of
/// <see cref="BSplineBasis"/> (same terms, same order, same NaN → 0 rule), so the values are bit-identical
/// to the dense recursion at O(k²) instead of O((G+k)·k) cost. Least-squares fits on grids of G = 1000 rely on it.
/// </summary>
internal static class BasisWindow
{
    /// <summary>
    /// Writes B_{first+q,k}(x) for q = 0..k into <paramref name="values"/> (length ≥ k+1) and returns true
    /// with <paramref name="first"/> (which may be negative near t_0; entries with a negative index are 0),
    /// or returns false when x lies outside [t_0, t_M) and every basis function is 0.
    /// </summary>
    public static bool Evaluate(double x, ReadOnlySpan<double> knots, int order, Span<double> values, out int first) =>
        Evaluate(x, knots, order, values, default, out first);

    /// <summary>
    /// As above, and when <paramref name="derivatives"/> is not empty also dB/dx for the same window, with
    /// <see cref="BSplineBasis"/>'s derivative recursion (same terms, same NaN → 0 rule).
    /// </summary>
    public static bool Evaluate(double x, ReadOnlySpan<double> knots, int order, Span<double> values, Span<double> derivatives, out int first) =>
        Evaluate(x, knots, order, KanBeyondGrid.Pykan, values, derivatives, out first);

    /// <summary>
    /// As above with the given behaviour beyond the grid: <see cref="KanBeyondGrid.Smooth"/> gives
    /// <see cref="BSplineBasis"/>'s continued window (the window of the nearest point x̄ of [t_k, t_{G+k}], each value
    /// plus (x − x̄) times its slope, the slopes those at x̄) with the same operations, and is false only for NaN.
    /// </summary>
    public static bool Evaluate(double x, ReadOnlySpan<double> knots, int order, KanBeyondGrid beyondGrid, Span<double> values, Span<double> derivatives, out int first)
    {
        if (beyondGrid != KanBeyondGrid.Smooth)
        {
            return Window(x, knots, order, closedTop: false, values, derivatives, out first);
        }

        double nearest = Math.Clamp(x, knots[order], knots[knots.Length - 1 - order]);
        Span<double> slopes = derivatives.IsEmpty ? stackalloc double[order + 1] : derivatives;
        if (!Window(nearest, knots, order, closedTop: true, values, slopes, out first))
        {
            return false;
        }

        double beyond = x - nearest;
        for (int q = 0; q <= order; q++)
        {
            values[q] += beyond * slopes[q];
        }

        return true;
    }

    /// <summary>The window at x; with <paramref name="closedTop"/> x = t_{G+k} lies in the last real interval, as in <see cref="BSplineBasis"/>.</summary>
    private static bool Window(double x, ReadOnlySpan<double> knots, int order, bool closedTop, Span<double> values, Span<double> derivatives, out int first)
    {
        int last = knots.Length - 1;
        first = 0;
        if (!(x >= knots[0] && (x < knots[last] || (closedTop && x == knots[last]))))
        {
            return false;
        }

        // Largest j with t_j ≤ x: the one order-0 indicator that is 1 (t_j ≤ x < t_{j+1} holds for it); with
        // closedTop, x = t_{G+k} belongs to the last real interval j = G+k−1.
        int low = 0, high = last - 1;
        while (low < high)
        {
            int middle = (low + high + 1) >> 1;
            if (knots[middle] <= x)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        int j = closedTop && x == knots[last - order] ? last - order - 1 : low;

        // level[q] holds B_{j-order+q, p}; entries outside the window are exactly 0 in the dense recursion.
        bool withDerivative = !derivatives.IsEmpty;
        Span<double> level = stackalloc double[order + 2];
        Span<double> slope = stackalloc double[order + 2];
        level.Clear();
        slope.Clear();
        level[order] = 1.0;
        for (int p = 1; p <= order; p++)
        {
            for (int q = order - p; q <= order; q++)
            {
                int i = j - order + q;
                if (i < 0 || i > last - p - 1)
                {
                    level[q] = 0.0;
                    slope[q] = 0.0;
                    continue;
                }

                double leftDenominator = knots[i + p] - knots[i];
                double rightDenominator = knots[i + p + 1] - knots[i + 1];
                double left = (x - knots[i]) / leftDenominator;
                double right = (knots[i + p + 1] - x) / rightDenominator;
                double value = left * level[q] + right * level[q + 1];
                if (withDerivative)
                {
                    double derivative = level[q] / leftDenominator + left * slope[q] - level[q + 1] / rightDenominator + right * slope[q + 1];
                    slope[q] = double.IsNaN(value) || double.IsNaN(derivative) ? 0.0 : derivative;
                }

                level[q] = double.IsNaN(value) ? 0.0 : value;
            }
        }

        level.Slice(0, order + 1).CopyTo(values);
        if (withDerivative)
        {
            slope.Slice(0, order + 1).CopyTo(derivatives);
        }

        first = j - order;
        return true;
    }
}
