namespace KanCompile.Generators.Emit;

/// <summary>
/// Builds the kernel knot table (layout in <see cref="KernelLayout"/>) from real knots. Shared by the runtime
/// (models rebuild it whenever their grid changes) and the generator ([KanFormula] bakes it into source).
/// </summary>
internal static class KnotTable
{
    /// <summary>The table for every input node of every layer; <paramref name="knots"/> is [layer][node][G+2k+1].</summary>
    public static double[] Build(KernelLayout layout, double[] knots)
    {
        var table = new double[layout.KnotTableLength];
        int nodes = layout.NodeOffset[layout.Spec.Depth];
        for (int node = 0; node < nodes; node++)
        {
            WriteRow(knots, node * layout.KnotCount, layout, table, node * layout.KnotRowLength);
        }

        return table;
    }

    /// <summary>
    /// One row: the real knots with phantom knots on each side (continuing the average spacing) so the local
    /// recurrence never reads outside the row, then for every interval the reciprocal knot differences the
    /// recurrence and its derivative divide by (0 where two knots coincide, a 0/0 → 0 convention).
    /// </summary>
    public static void WriteRow(double[] knots, int knotOffset, KernelLayout layout, double[] row, int rowOffset)
    {
        int count = layout.KnotCount, phantoms = layout.PhantomKnots, k = layout.Spec.SplineOrder;
        System.Array.Copy(knots, knotOffset, row, rowOffset + phantoms, count);
        int last = count - 1;
        double h = (knots[knotOffset + last] - knots[knotOffset]) / last;
        if (!(h > 0))
        {
            h = 1.0;
        }

        for (int q = 1; q <= phantoms; q++)
        {
            row[rowOffset + phantoms - q] = knots[knotOffset] - h * q;
            row[rowOffset + phantoms + last + q] = knots[knotOffset + last] + h * q;
        }

        for (int mu = 0; mu < last; mu++)
        {
            int block = rowOffset + layout.PaddedKnotCount + mu * layout.ReciprocalsPerInterval;
            for (int j = 1; j <= k; j++)
            {
                for (int r = 0; r < j; r++)
                {
                    row[block + KernelLayout.TriangleReciprocal(j, r)] = Reciprocal(Knot(mu + r + 1) - Knot(mu + 1 - j + r));
                }
            }

            for (int r = 1; r <= k; r++)
            {
                row[block + KernelLayout.DerivativeReciprocal(k, r)] = Reciprocal(Knot(mu + r) - Knot(mu - k + r));
            }
        }

        double Knot(int index) => row[rowOffset + phantoms + index];
    }

    private static double Reciprocal(double difference) => difference != 0.0 ? 1.0 / difference : 0.0;
}
