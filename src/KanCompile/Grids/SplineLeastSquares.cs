using KanCompile.Splines;

namespace KanCompile.Grids;

/// <summary>
/// pykan's <c>curve2coef</c> for one input node (kan-math §2.6): the coefficients c minimising
/// Σ_s (Σ_m c_m B_m(x_s) − y_s)², for many right-hand sides at once (every edge leaving the node shares its
/// knots, so the design matrix is factored once).
/// <para>
/// The design matrix is a B-spline collocation matrix: each row has at most k+1 consecutive non-zeros.
/// Rows are rotated (Givens) into a banded triangular factor R with k+1 diagonals, rows sorted by their first
/// column, so each row costs O(k²) and a fit O(N·k·(k + right-hand sides)) — G = 1000 is as cheap as G = 5,
/// where a dense QR or SVD of N×(G+k) is O(N·G²). The condition number is not squared (no normal equations).
/// </para>
/// <para>
/// Robustness, matching the minimum-norm solution that LAPACK's gelsd gives:
/// <list type="bullet">
/// <item>a basis function no sample reaches (an empty column) gets exactly 0 and is left out of the problem;</item>
/// <item>when the remaining columns are (numerically) rank-deficient — fewer samples than coefficients, or
/// repeated sample values, or about one sample per grid interval — the problem is solved with a tiny ridge
/// term λ = 1e-10 × the largest diagonal of R, stacked as extra banded rows (<see cref="BandedGivensFactor.SolveRidge"/>):
/// exact null directions get 0 and well-determined ones are unchanged, so this is the minimum-norm answer
/// up to the numerical rank. (An unpivoted banded QR does not reveal the rank: the earlier "drop the
/// negligible rows of R" solution divided by hidden tiny pivots and returned 4e9-sized coefficients and a
/// 5e-6 residual where the minimum-norm interpolant has coefficients of 2 and a zero residual.)
/// Everything stays banded: no dense SVD, which for N = 1000, G = 1000 takes about 20 s in MathNet
/// against milliseconds here.</item>
/// </list>
/// </para>
/// </summary>
internal static class SplineLeastSquares
{
    /// <summary>A diagonal of R below this fraction of the largest one marks the problem rank-deficient.</summary>
    internal const double RankTolerance = 1e-10;

    /// <summary>λ of the rank-deficient path, relative to the largest diagonal of R.</summary>
    internal const double RidgeTolerance = 1e-10;

    /// <summary>
    /// Fits <paramref name="rightHandSides"/> coefficient vectors.
    /// </summary>
    /// <param name="x">Sample positions (any order).</param>
    /// <param name="targets">Row-major [sample][rightHandSide] values to fit.</param>
    /// <param name="rightHandSides">Number of right-hand sides.</param>
    /// <param name="knots">Extended knot vector (G+2k+1 knots).</param>
    /// <param name="order">Spline order k.</param>
    /// <param name="coefficients">Receives [rightHandSide][G+k] coefficients.</param>
    /// <param name="beyondGrid">The basis at samples beyond [t_k, t_{G+k}]: pykan's (padding zone, then 0: such samples
    /// constrain only what reaches them) or the smooth continuation (their rows are the continued boundary windows).</param>
    /// <returns>True when the problem had full column rank after removing empty columns (solved directly),
    /// false when it took the minimum-norm path.</returns>
    public static bool Fit(ReadOnlySpan<double> x, ReadOnlySpan<double> targets, int rightHandSides, ReadOnlySpan<double> knots, int order, Span<double> coefficients, KanBeyondGrid beyondGrid = KanBeyondGrid.Pykan)
    {
        int samples = x.Length, width = order + 1, columns = knots.Length - 1 - order;
        if (targets.Length != samples * rightHandSides)
        {
            throw new ArgumentException($"The targets hold {targets.Length} values; {samples} samples × {rightHandSides} right-hand sides need {samples * rightHandSides}.", nameof(targets));
        }

        if (coefficients.Length < rightHandSides * columns)
        {
            throw new ArgumentException($"The coefficient span holds {coefficients.Length} values; {rightHandSides} × {columns} are needed.", nameof(coefficients));
        }

        coefficients.Slice(0, rightHandSides * columns).Clear();

        // Basis windows, and which columns any sample reaches.
        var first = new int[samples];
        var values = new double[samples * width];
        var reached = new bool[columns];
        for (int s = 0; s < samples; s++)
        {
            Span<double> window = values.AsSpan(s * width, width);
            if (!BasisWindow.Evaluate(x[s], knots, order, beyondGrid, window, default, out first[s]))
            {
                first[s] = -1;
                window.Clear();
                continue;
            }

            int start = -1;
            for (int q = 0; q < width; q++)
            {
                if (window[q] != 0.0)
                {
                    reached[first[s] + q] = true;
                    start = start < 0 ? q : start;
                }
            }

            // Shift the window so it starts at its first non-zero: rows then start at a reached column.
            if (start < 0)
            {
                first[s] = -1;
                continue;
            }

            window.Slice(start).CopyTo(window);
            window.Slice(width - start).Clear();
            first[s] += start;
        }

        var compressed = new int[columns];
        var columnOf = new int[columns];
        int kept = 0;
        for (int c = 0; c < columns; c++)
        {
            compressed[c] = reached[c] ? kept : -1;
            if (reached[c])
            {
                columnOf[kept++] = c;
            }
        }

        if (kept == 0)
        {
            return true;
        }

        // Rows in compressed coordinates, ordered by first column (counting sort keeps the band of R).
        var rowStart = new int[samples];
        var rowOrder = new int[samples];
        int rows = 0;
        var bucket = new int[kept + 1];
        for (int s = 0; s < samples; s++)
        {
            if (first[s] >= 0)
            {
                rowStart[s] = compressed[first[s]];
                bucket[rowStart[s] + 1]++;
                rows++;
            }
        }

        for (int c = 0; c < kept; c++)
        {
            bucket[c + 1] += bucket[c];
        }

        for (int s = 0; s < samples; s++)
        {
            if (first[s] >= 0)
            {
                rowOrder[bucket[rowStart[s]]++] = s;
            }
        }

        // Within a row the non-zeros sit in consecutive reached columns; an unreached column inside the
        // window can only hold a zero, so compressing just drops trailing zeros.
        var factor = new BandedGivensFactor(kept, width, rows);
        factor.Factor(rowOrder.AsSpan(0, rows), rowStart, values);
        var solution = new double[kept * rightHandSides];
        bool fullRank = factor.SmallestDiagonal > RankTolerance * factor.LargestDiagonal;
        if (fullRank)
        {
            factor.Solve(targets, rightHandSides, solution);
        }
        else
        {
            factor.SolveRidge(targets, rightHandSides, solution, RidgeTolerance * factor.LargestDiagonal, RankTolerance);
        }

        for (int r = 0; r < rightHandSides; r++)
        {
            for (int c = 0; c < kept; c++)
            {
                coefficients[r * columns + columnOf[c]] = solution[c * rightHandSides + r];
            }
        }

        return fullRank;
    }
}
