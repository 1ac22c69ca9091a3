namespace KanCompile;

public abstract partial class KanModel
{
    /// <summary>
    /// For <see cref="KanBeyondGrid.Smooth"/> re-grids (<see cref="UpdateGrid"/>, <see cref="Refine(int)"/>): the sorted samples
    /// <paramref name="x"/> with their targets, merged with k+1 evenly spaced points in every interval of the new grid's
    /// range [t'_k, t'_{G'+k}] (and its right end) whose targets are the old splines' values there. The new splines then
    /// follow the old ones in intervals no sample reaches, and so do their boundary values and slopes, which the
    /// continuation carries beyond the grid; without them the least-squares problem leaves such intervals (and the
    /// slope at the ends) to its minimum-norm solution, which is what blows up at G ≈ N.
    /// </summary>
    private static (double[] X, double[] Targets) WithGridPoints(double[] x, double[] targets, int edges, ReadOnlySpan<double> newKnots, ReadOnlySpan<double> oldKnots, int order, ReadOnlySpan<double> oldCoefficients)
    {
        int intervals = newKnots.Length - 1 - 2 * order, perInterval = order + 1;
        var points = new double[intervals * perInterval + 1];
        for (int j = 0; j < intervals; j++)
        {
            double start = newKnots[order + j], width = newKnots[order + j + 1] - start;
            for (int q = 0; q < perInterval; q++)
            {
                points[j * perInterval + q] = start + width * q / perInterval;
            }
        }

        points[^1] = newKnots[order + intervals];
        var pointTargets = new double[points.Length * edges];
        EvaluateSplines(points, oldKnots, order, KanBeyondGrid.Smooth, oldCoefficients, edges, stackalloc double[order + 1], pointTargets);

        // Merge the two sorted lists (the banded solver wants its rows in order).
        var mergedX = new double[x.Length + points.Length];
        var mergedTargets = new double[mergedX.Length * edges];
        int a = 0, b = 0;
        for (int s = 0; s < mergedX.Length; s++)
        {
            bool fromSamples = b == points.Length || (a < x.Length && x[a] <= points[b]);
            (double[] source, double[] sourceTargets, int index) = fromSamples ? (x, targets, a++) : (points, pointTargets, b++);
            mergedX[s] = source[index];
            sourceTargets.AsSpan(index * edges, edges).CopyTo(mergedTargets.AsSpan(s * edges, edges));
        }

        return (mergedX, mergedTargets);
    }
}
