using KanCompile.Generators.Emit;
using KanCompile.Grids;
using KanCompile.Splines;

namespace KanCompile;

public abstract partial class KanModel
{
    /// <summary>As <see cref="Refine(int, ReadOnlySpan{double})"/> on <see cref="LastFitInputs"/>, the last fit's training inputs.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public void Refine(int newGridSize)
    {
        if (newGridSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(newGridSize), newGridSize, "The grid needs at least one interval.");
        }

        Refine(newGridSize, LastFitSamples(nameof(Refine)));
    }

    /// <summary>
    /// Grid extension, as pykan's <c>refine(new_grid)</c> (kan-math §2.8), in place: every input node gets
    /// <paramref name="newGridSize"/> intervals whose knots interpolate the old knots linearly (a uniform grid
    /// stays uniform, an adaptive grid keeps its shape), and every edge's coefficients are the least-squares fit
    /// of its old unscaled spline to the old model's activations on the samples (with <see cref="KanBeyondGrid.Smooth"/>,
    /// samples beyond the grid fit the new spline's continuation to the old one's, and k+1 points in every new interval
    /// join the samples, so a nested grid reproduces the old spline exactly even where no sample lies). scale_base, scale_sp and the
    /// masks are kept. A generated model switches to the kernel compiled for the new grid when it declares one
    /// (<see cref="KanModelAttribute"/> GridExtensions), otherwise to a runtime-compiled kernel.
    /// </summary>
    /// <param name="newGridSize">The new number of grid intervals G.</param>
    /// <param name="inputs">
    /// Row-major samples to fit on (not empty). <see cref="Refine(int)"/> uses <see cref="LastFitInputs"/>, the
    /// training split of the last Fit. pykan refits on its <c>cache_data</c> instead, which after <c>fit</c> is the
    /// test split; KanCompile uses the training data so the test split stays unseen.
    /// </param>
    /// <remarks>
    /// Rank-deficient fits (samples covering only part of the grid, or fewer samples than coefficients) give
    /// the minimum-norm least-squares coefficients: basis functions no sample reaches get 0. pykan 0.2.8 can
    /// return all-zero coefficients there (torch's gelsy reporting rank 0); KanCompile does not copy that.
    /// </remarks>
    public void Refine(int newGridSize, ReadOnlySpan<double> inputs)
    {
        if (newGridSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(newGridSize), newGridSize, "The grid needs at least one interval.");
        }

        RequireSamples(inputs, nameof(Refine));

        int count = CountGridSamples(inputs, nameof(inputs));
        var oldLayout = _layout;
        var nodes = new double[count * oldLayout.NodeCount];
        var splines = new double[count * oldLayout.EdgeCount];
        TraceSamples(new KanKernelHandle(Kernel, oldLayout, _parameters, _knotTable), inputs, count, nodes, splines);

        var layout = new KernelLayout(Architecture.KernelSpecFor(newGridSize));
        int k = SplineOrder;
        var knots = new double[layout.NodeOffset[Depth] * layout.KnotCount];
        var parameters = new double[layout.ParameterCount];
        for (int l = 0; l < Depth; l++)
        {
            int inputNodes = NodeWidths[l], outputs = SubnodeWidths[l + 1], layer = l;
            Parallel.For(0, inputNodes, ParallelNodes(count * outputs), i =>
            {
                int node = layout.NodeOffset[layer] + i;
                ReadOnlySpan<double> oldRow = _knots.AsSpan(node * oldLayout.KnotCount, oldLayout.KnotCount);
                Span<double> row = knots.AsSpan(node * layout.KnotCount, layout.KnotCount);
                KnotVector.Extend(InterpolateKnots(oldRow.Slice(k, oldLayout.Spec.GridSize + 1), newGridSize), k).CopyTo(row);

                // Samples sorted by this node's value keep the banded solver's rows in order.
                var order = new int[count];
                var column = new double[count];
                var targets = new double[count * outputs];
                for (int s = 0; s < count; s++)
                {
                    order[s] = s;
                    column[s] = nodes[s * oldLayout.NodeCount + node];
                }

                Array.Sort(column, order);
                int edge = oldLayout.EdgeOffset[layer] + i * outputs;
                for (int s = 0; s < count; s++)
                {
                    splines.AsSpan(order[s] * oldLayout.EdgeCount + edge, outputs).CopyTo(targets.AsSpan(s * outputs, outputs));
                }

                if (BeyondGrid == KanBeyondGrid.Smooth)
                {
                    ReadOnlySpan<double> oldCoefficients = _parameters.AsSpan(oldLayout.CoefficientOffset[layer] + i * outputs * oldLayout.CoefficientsPerEdge, outputs * oldLayout.CoefficientsPerEdge);
                    (column, targets) = WithGridPoints(column, targets, outputs, row, oldRow, k, oldCoefficients);
                }

                SplineLeastSquares.Fit(
                    column,
                    targets,
                    outputs,
                    row,
                    k,
                    parameters.AsSpan(layout.CoefficientOffset[layer] + i * outputs * layout.CoefficientsPerEdge, outputs * layout.CoefficientsPerEdge),
                    BeyondGrid);
            });

            int edges = inputNodes * outputs;
            _parameters.AsSpan(oldLayout.ScaleBaseOffset[l], edges).CopyTo(parameters.AsSpan(layout.ScaleBaseOffset[l], edges));
            _parameters.AsSpan(oldLayout.ScaleSplineOffset[l], edges).CopyTo(parameters.AsSpan(layout.ScaleSplineOffset[l], edges));
        }

        ReplaceGrid(newGridSize, knots, parameters);
    }

    /// <summary>
    /// The old interior knots read as a piecewise-linear function of u ∈ linspace(−1, 1, G_old+1), evaluated at
    /// u ∈ linspace(−1, 1, G_new+1) — what pykan's k = 1 spline fit computes (to ≤ 4e-16).
    /// </summary>
    internal static double[] InterpolateKnots(ReadOnlySpan<double> interior, int newGridSize)
    {
        int oldGridSize = interior.Length - 1;
        double[] oldU = KnotVector.Linspace(-1.0, 1.0, oldGridSize + 1);
        double[] newU = KnotVector.Linspace(-1.0, 1.0, newGridSize + 1);
        var result = new double[newGridSize + 1];
        for (int q = 0; q <= newGridSize; q++)
        {
            double u = newU[q];
            int a = 0;
            while (a < oldGridSize - 1 && oldU[a + 1] <= u)
            {
                a++;
            }

            double width = oldU[a + 1] - oldU[a];
            result[q] = interior[a] * ((oldU[a + 1] - u) / width) + interior[a + 1] * ((u - oldU[a]) / width);
        }

        return result;
    }
}
