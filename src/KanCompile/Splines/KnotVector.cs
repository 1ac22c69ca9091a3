namespace KanCompile.Splines;

/// <summary>Grid construction exactly as pykan's <c>KANLayer.__init__</c> and <c>extend_grid</c> (kan-math §2.2).</summary>
internal static class KnotVector
{
    /// <summary>
    /// <c>torch.linspace(start, end, count)</c> in float64, bit for bit as PyTorch's CPU kernel computes it: the first
    /// half counts up from <paramref name="start"/>, the second half down from <paramref name="end"/> (so both ends are
    /// exact), written in pairs of 4-lane vectors whose lanes are base + k·step, where base = fma(step, i, start) or
    /// fma(−step, count−1−i, end) at the vector's first index i; the remainder is element-wise with the fused form.
    /// Checked against every grid in basis.json and every zoom range in symbolic_fit.json.
    /// </summary>
    public static double[] Linspace(double start, double end, int count)
    {
        var result = new double[count];
        if (count == 1)
        {
            result[0] = start;
            return result;
        }

        double step = (end - start) / (count - 1);
        int halfway = count / 2;
        double Fused(int i) => i < halfway
            ? Math.FusedMultiplyAdd(step, i, start)
            : Math.FusedMultiplyAdd(-step, count - 1 - i, end);

        // torch's vectorised loop (AVX2: 4 doubles per vector, two vectors per iteration); the lanes are not fused.
        const int Lanes = 4;
        int index = 0;
        for (; index + 2 * Lanes <= count; index += 2 * Lanes)
        {
            for (int vector = index; vector < index + 2 * Lanes; vector += Lanes)
            {
                double baseValue = Fused(vector);
                for (int lane = 0; lane < Lanes; lane++)
                {
                    result[vector + lane] = baseValue + lane * step;
                }
            }
        }

        for (; index < count; index++)
        {
            result[index] = Fused(index);
        }

        return result;
    }

    /// <summary>
    /// Extends G+1 interior knots by k knots on each side with the average spacing
    /// h = (t_G − t_0)/G, added one at a time as pykan does (t_{-2} = (t_0 − h) − h).
    /// </summary>
    public static double[] Extend(ReadOnlySpan<double> interior, int splineOrder)
    {
        int g = interior.Length - 1;
        double h = (interior[g] - interior[0]) / g;
        var result = new double[interior.Length + 2 * splineOrder];
        interior.CopyTo(result.AsSpan(splineOrder));
        for (int q = 1; q <= splineOrder; q++)
        {
            result[splineOrder - q] = result[splineOrder - q + 1] - h;
            result[splineOrder + g + q] = result[splineOrder + g + q - 1] + h;
        }

        return result;
    }

    /// <summary>The extended uniform grid pykan builds for a new layer: G+2k+1 knots.</summary>
    public static double[] Uniform(int gridSize, int splineOrder, double gridMin, double gridMax) =>
        Extend(Linspace(gridMin, gridMax, gridSize + 1), splineOrder);
}
