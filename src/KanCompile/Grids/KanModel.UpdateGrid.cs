using KanCompile.Grids;
using KanCompile.Splines;

namespace KanCompile;

public abstract partial class KanModel
{
    /// <summary>pykan's default <c>grid_eps</c>: 2 % uniform, 98 % sample quantiles.</summary>
    public const double DefaultGridEps = 0.02;

    /// <summary>
    /// Re-grids every layer from the activations of <paramref name="inputs"/> (row-major samples), as pykan's
    /// <c>update_grid_from_samples</c> (kan-math §2.7). Layer after layer (layer l sees the activations of the
    /// already re-gridded layers before it), for each input node: sort its values x; place G+1 knots
    /// <c>grid_eps·uniform + (1 − grid_eps)·quantiles</c> over [min x − margin, max x + margin]; extend by k; refit
    /// every edge's coefficients by least squares to the old (unscaled) spline values at x, so each edge keeps its
    /// shape where the samples are (samples beyond the old grid are read through <see cref="BeyondGrid"/>: the old
    /// spline's continuation, or pykan's padding zone and 0; with the continuation the fit also reads the old splines at k+1
    /// points in every new interval, so intervals no sample reaches keep their shape). The grid size stays the same.
    /// </summary>
    /// <param name="inputs">Row-major samples (at least 2, all finite).</param>
    /// <param name="gridEps">Weight of the uniform grid: 0 = pure quantiles, 1 = uniform over the sample range.</param>
    /// <param name="margin">
    /// Widens the sample range by this much on each side (pykan 0.2: 0, the default; pykan 0.0: 0.01), so inputs
    /// slightly beyond the samples stay inside the grid. Both the uniform knots and the first and last quantile knots
    /// move out, so the grid spans the widened range for any <paramref name="gridEps"/> (pykan 0.0 widened the uniform
    /// knots only, which with its default grid_eps = 1 is the same). See docs/grids.md for how it interacts with
    /// <see cref="KanBeyondGrid.Smooth"/>.
    /// </param>
    public void UpdateGrid(ReadOnlySpan<double> inputs, double gridEps = DefaultGridEps, double margin = 0.0)
    {
        int count = CountGridSamples(inputs, nameof(inputs));
        if (!(gridEps >= 0.0 && gridEps <= 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(gridEps), gridEps, "grid_eps must lie in [0, 1] (0 = quantile knots, 1 = uniform knots).");
        }

        if (!(margin >= 0.0 && double.IsFinite(margin)))
        {
            throw new ArgumentOutOfRangeException(nameof(margin), margin, "The grid margin must be finite and 0 or more (pykan 0.0 used 0.01).");
        }

        var layout = _layout;
        int g = GridSize, k = SplineOrder, coefficients = layout.CoefficientsPerEdge, knotCount = layout.KnotCount;
        var knots = (double[])_knots.Clone();
        var parameters = (double[])_parameters.Clone();
        var nodes = new double[count * layout.NodeCount];
        for (int l = 0; l < Depth; l++)
        {
            // Activations entering layer l, produced by the layers already updated.
            TraceSamples(new KanKernelHandle(Kernel, layout, parameters, BuildKnotTable(layout, knots)), inputs, count, nodes, null);
            int outputs = SubnodeWidths[l + 1], layer = l;

            // Input nodes are independent (own knot row, own coefficient rows): fit them in parallel.
            Parallel.For(0, NodeWidths[l], ParallelNodes(count * outputs), i =>
            {
                int node = layout.NodeOffset[layer] + i;
                var column = new double[count];
                var targets = new double[count * outputs];
                for (int s = 0; s < count; s++)
                {
                    column[s] = nodes[s * layout.NodeCount + node];
                }

                Array.Sort(column);
                Span<double> row = knots.AsSpan(node * knotCount, knotCount);
                Span<double> edgeCoefficients = parameters.AsSpan(layout.CoefficientOffset[layer] + i * outputs * coefficients, outputs * coefficients);
                EvaluateSplines(column, row, k, BeyondGrid, edgeCoefficients, outputs, stackalloc double[k + 1], targets);
                double[] newRow = QuantileKnots(column, g, k, gridEps, margin);
                if (BeyondGrid == KanBeyondGrid.Smooth)
                {
                    (column, targets) = WithGridPoints(column, targets, outputs, newRow, row, k, edgeCoefficients);
                }

                newRow.CopyTo(row);
                SplineLeastSquares.Fit(column, targets, outputs, row, k, edgeCoefficients, BeyondGrid);
            });
        }

        ReplaceGrid(g, knots, parameters);
    }

    /// <summary>Parallel options for per-node fits: one thread when the work is small.</summary>
    private static ParallelOptions ParallelNodes(long workPerNode) =>
        new() { MaxDegreeOfParallelism = workPerNode < 20_000 ? 1 : Environment.ProcessorCount };

    /// <summary>
    /// Knots from sorted samples: ids = [int(N/G·q)] + [N−1], the first and last moved out by <paramref name="margin"/>,
    /// mixed with the uniform grid over the same widened range, extended by k.
    /// </summary>
    internal static double[] QuantileKnots(ReadOnlySpan<double> sorted, int gridSize, int splineOrder, double gridEps, double margin = 0.0)
    {
        int count = sorted.Length;
        var adaptive = new double[gridSize + 1];
        for (int q = 0; q < gridSize; q++)
        {
            adaptive[q] = sorted[(int)((double)count / gridSize * q)];
        }

        adaptive[gridSize] = sorted[count - 1];
        if (margin > 0.0)
        {
            adaptive[0] -= margin;
            adaptive[gridSize] += margin;
        }

        double step = (adaptive[gridSize] - adaptive[0]) / gridSize;
        var interior = new double[gridSize + 1];
        for (int q = 0; q <= gridSize; q++)
        {
            double uniform = adaptive[0] + step * q;
            interior[q] = gridEps * uniform + (1.0 - gridEps) * adaptive[q];
        }

        return KnotVector.Extend(interior, splineOrder);
    }

    /// <summary>Unscaled spline values Σ_m c_m B_m(x_s) of <paramref name="edges"/> edges sharing one knot row, as [sample][edge].</summary>
    private static void EvaluateSplines(ReadOnlySpan<double> x, ReadOnlySpan<double> knots, int order, KanBeyondGrid beyondGrid, ReadOnlySpan<double> coefficients, int edges, Span<double> basis, Span<double> values)
    {
        int count = knots.Length - 1 - order;
        for (int s = 0; s < x.Length; s++)
        {
            Span<double> row = values.Slice(s * edges, edges);
            if (!BasisWindow.Evaluate(x[s], knots, order, beyondGrid, basis, default, out int first))
            {
                row.Clear();
                continue;
            }

            for (int j = 0; j < edges; j++)
            {
                ReadOnlySpan<double> c = coefficients.Slice(j * count, count);
                double sum = 0.0;
                for (int q = 0; q <= order; q++)
                {
                    int m = first + q;
                    if (m >= 0 && m < count)
                    {
                        sum += c[m] * basis[q];
                    }
                }

                row[j] = sum;
            }
        }
    }
}
