namespace KanCompile.Symbolic.Discovery;

/// <summary>
/// The order + 1 basis functions that can be non-zero at x, computed by <see cref="Splines.BSplineBasis"/>'s
/// recursion restricted to them. Every entry is the same expression on the same operands as in the dense
/// recursion, and the entries it skips are exactly zero there, so sums over the window equal the dense sums
/// bit for bit — at O(order²) instead of O(knots·order) divisions per evaluation.
/// </summary>
internal static class SplineWindow
{
    /// <summary>
    /// Writes B_{first+t,k}(x) for t = 0..order into <paramref name="values"/> (and their x-derivatives when
    /// <paramref name="derivatives"/> is not empty); returns first, the index of values[0] (it may be negative
    /// near the left end: only indices in [0, knots.Length − 1 − order) exist). Returns
    /// <see cref="Outside"/> when x lies outside [t_0, t_M), where every basis function is 0.
    /// </summary>
    public static int Evaluate(double x, double[] knots, int order, Span<double> values, Span<double> derivatives)
    {
        int m = knots.Length - 1;
        int interval = -1;
        for (int i = 0; i < m; i++)
        {
            if (knots[i] <= x && x < knots[i + 1])
            {
                interval = i;
                break;
            }
        }

        if (interval < 0)
        {
            return Outside;
        }

        bool withDerivative = !derivatives.IsEmpty;
        int first = interval - order;

        // level[t] is B_{first+t}; one more slot on the right (B_{interval+1}, always 0) keeps the reads uniform.
        Span<double> level = stackalloc double[order + 2];
        Span<double> slope = stackalloc double[order + 2];
        level.Clear();
        slope.Clear();
        level[order] = 1.0;
        for (int p = 1; p <= order; p++)
        {
            // The dense recursion updates i < m − p only (higher entries keep the previous order's value).
            int low = Math.Max(interval - p, 0), high = Math.Min(interval, m - p - 1);
            for (int i = low; i <= high; i++)
            {
                int t = i - first;
                double leftDenominator = knots[i + p] - knots[i];
                double rightDenominator = knots[i + p + 1] - knots[i + 1];
                double left = (x - knots[i]) / leftDenominator;
                double right = (knots[i + p + 1] - x) / rightDenominator;
                double value = left * level[t] + right * level[t + 1];
                if (withDerivative)
                {
                    double derivative = level[t] / leftDenominator + left * slope[t] - level[t + 1] / rightDenominator + right * slope[t + 1];
                    slope[t] = double.IsNaN(value) ? 0.0 : NanToZero(derivative);
                }

                level[t] = NanToZero(value);
            }
        }

        // Entries past the last basis function (index >= m − order) are stale in the dense recursion and never read.
        int count = m - order;
        for (int t = 0; t <= order; t++)
        {
            bool exists = first + t >= 0 && first + t < count;
            values[t] = exists ? level[t] : 0.0;
            if (withDerivative)
            {
                derivatives[t] = exists ? slope[t] : 0.0;
            }
        }

        return first;
    }

    /// <summary>Returned by <see cref="Evaluate"/> when x is outside the knots.</summary>
    public const int Outside = int.MinValue;

    private static double NanToZero(double value) => double.IsNaN(value) ? 0.0 : value;
}
