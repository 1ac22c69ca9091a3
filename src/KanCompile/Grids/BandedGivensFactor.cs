namespace KanCompile.Grids;

/// <summary>
/// QR factor of a banded least-squares matrix built row by row with Givens rotations (the classic
/// spline-fitting scheme): R is upper triangular with <c>width</c> diagonals, stored row-wise, and the
/// rotations are logged so Qᵀ can be applied to any number of right-hand sides afterwards. Rows must arrive
/// ordered by their first non-zero column; then a row touches at most <c>width</c> rows of R.
/// </summary>
internal sealed class BandedGivensFactor
{
    /// <summary>A row remainder at or below this fraction of the row's largest entry counts as fully rotated in.</summary>
    private const double RoundingFloor = 1e-13;

    /// <summary>Iterative-refinement steps of <see cref="SolveRidge"/>.</summary>
    private const int RefinementSteps = 2;

    private readonly int _columns, _width;
    private readonly double[] _r;
    private readonly int[] _rowSource, _rowRotations;
    private readonly int[] _pivot;
    private readonly double[] _cos, _sin;
    private int _rows, _rotations;

    /// <param name="columns">Number of unknowns.</param>
    /// <param name="width">Non-zeros per row (k+1): also the number of diagonals of R.</param>
    /// <param name="maxRows">Rows that will be added.</param>
    public BandedGivensFactor(int columns, int width, int maxRows)
    {
        _columns = columns;
        _width = width;
        _r = new double[columns * width];
        _rowSource = new int[maxRows];
        _rowRotations = new int[maxRows + 1];
        _pivot = new int[maxRows * width];
        _cos = new double[maxRows * width];
        _sin = new double[maxRows * width];
    }

    /// <summary>|R(i,i)| at its largest.</summary>
    public double LargestDiagonal
    {
        get
        {
            double largest = 0.0;
            for (int i = 0; i < _columns; i++)
            {
                largest = Math.Max(largest, Math.Abs(_r[i * _width]));
            }

            return largest;
        }
    }

    /// <summary>|R(i,i)| at its smallest (0 when a column never received a pivot).</summary>
    public double SmallestDiagonal
    {
        get
        {
            double smallest = double.PositiveInfinity;
            for (int i = 0; i < _columns; i++)
            {
                smallest = Math.Min(smallest, Math.Abs(_r[i * _width]));
            }

            return smallest;
        }
    }

    /// <summary>
    /// Adds the rows in <paramref name="rowOrder"/> (row s: window <c>values[s·width ..]</c> starting at column
    /// <c>rowStart[s]</c>); <paramref name="rowOrder"/> must list them by non-decreasing start.
    /// </summary>
    public void Factor(ReadOnlySpan<int> rowOrder, int[] rowStart, double[] values)
    {
        Span<double> row = stackalloc double[_width];
        foreach (int s in rowOrder)
        {
            values.AsSpan(s * _width, _width).CopyTo(row);
            AddRow(s, rowStart[s], row);
        }
    }

    /// <summary>
    /// Solves min ‖A·x − b‖ for full column rank (every diagonal of R non-zero) for
    /// <paramref name="rightHandSides"/> columns of <paramref name="rightHandSide"/> ([row source][r]);
    /// writes <paramref name="solution"/> as [column][r].
    /// </summary>
    public void Solve(ReadOnlySpan<double> rightHandSide, int rightHandSides, Span<double> solution)
    {
        double[] transformed = ApplyTransposedQ(rightHandSide, rightHandSides);
        BackSubstitute(transformed, rightHandSides, solution, 0.0);
    }

    /// <summary>
    /// Rank-deficient problems: min ‖A·x − b‖² + λ²‖x‖² ≈ the minimum-norm least-squares solution. With
    /// A = Q·[R; 0] this is min ‖R₁x − c₁‖² + λ²‖x‖², where c = Qᵀb and R₁ keeps the rows of R that are not
    /// rounding noise (rows ≤ <paramref name="tolerance"/> × the largest entry only carry residual). That
    /// problem is solved as the stacked banded system [R₁; λI]·x ≈ [c₁; 0] by a second Givens factorisation,
    /// plus iterative refinement (its condition number is about max|R|/λ, so one solve is accurate to ~1e-6 of
    /// |x|; each refinement step gains as much). Unlike dropping "small" pivots of an unpivoted QR, which does
    /// not reveal the rank, directions A cannot see get 0 and directions with singular values σ ≫ λ are
    /// unchanged (relative (λ/σ)²).
    /// </summary>
    public void SolveRidge(ReadOnlySpan<double> rightHandSide, int rightHandSides, Span<double> solution, double lambda, double tolerance)
    {
        int count = rightHandSides, w = _width, n = _columns;
        double[] transformed = ApplyTransposedQ(rightHandSide, count);
        double largest = 0.0;
        foreach (double value in _r)
        {
            largest = Math.Max(largest, Math.Abs(value));
        }

        // Row i of R (source i) and the ridge row λ·e_i (source n + i) both start at column i: ordered as needed.
        var start = new int[2 * n];
        var values = new double[2 * n * w];
        var order = new int[2 * n];
        var kept = new bool[n];
        int rows = 0;
        for (int i = 0; i < n; i++)
        {
            double rowMax = 0.0;
            for (int d = 0; d < w; d++)
            {
                rowMax = Math.Max(rowMax, Math.Abs(_r[i * w + d]));
            }

            if (rowMax > tolerance * largest)
            {
                kept[i] = true;
                start[i] = i;
                _r.AsSpan(i * w, w).CopyTo(values.AsSpan(i * w, w));
                order[rows++] = i;
            }

            start[n + i] = i;
            values[(n + i) * w] = lambda;
            order[rows++] = n + i;
        }

        var stacked = new BandedGivensFactor(n, w, rows);
        stacked.Factor(order.AsSpan(0, rows), start, values);
        var right = new double[2 * n * count];
        for (int i = 0; i < n; i++)
        {
            if (kept[i])
            {
                transformed.AsSpan(i * count, count).CopyTo(right.AsSpan(i * count, count));
            }
        }

        stacked.Solve(right, count, solution);

        var correction = new double[n * count];
        for (int step = 0; step < RefinementSteps; step++)
        {
            // Residual of the stacked system: [c₁ − R₁x; −λx].
            for (int i = 0; i < n; i++)
            {
                for (int r = 0; r < count; r++)
                {
                    if (kept[i])
                    {
                        double fitted = 0.0;
                        for (int d = 0; d < w && i + d < n; d++)
                        {
                            fitted += _r[i * w + d] * solution[(i + d) * count + r];
                        }

                        right[i * count + r] = transformed[i * count + r] - fitted;
                    }

                    right[(n + i) * count + r] = -lambda * solution[i * count + r];
                }
            }

            stacked.Solve(right, count, correction);
            for (int q = 0; q < n * count; q++)
            {
                solution[q] += correction[q];
            }
        }
    }

    /// <summary>Qᵀ applied to the right-hand sides: the first <c>columns</c> rows of Qᵀb, as [column][r].</summary>
    private double[] ApplyTransposedQ(ReadOnlySpan<double> rightHandSide, int count)
    {
        var transformed = new double[_columns * count];
        Span<double> b = count <= 256 ? stackalloc double[count] : new double[count];
        for (int row = 0; row < _rows; row++)
        {
            int source = _rowSource[row];
            if (source >= 0)
            {
                rightHandSide.Slice(source * count, count).CopyTo(b);
            }
            else
            {
                b.Clear();
            }

            for (int q = _rowRotations[row]; q < _rowRotations[row + 1]; q++)
            {
                int offset = _pivot[q] * count;
                double c = _cos[q], s = _sin[q];
                for (int r = 0; r < count; r++)
                {
                    double t = transformed[offset + r];
                    transformed[offset + r] = c * t + s * b[r];
                    b[r] = c * b[r] - s * t;
                }
            }
        }

        return transformed;
    }

    /// <summary>R·x = y by back substitution ([column][r]); pivots at or below <paramref name="pivotFloor"/> give 0. In place is allowed.</summary>
    private void BackSubstitute(ReadOnlySpan<double> y, int count, Span<double> solution, double pivotFloor)
    {
        for (int i = _columns - 1; i >= 0; i--)
        {
            double pivot = _r[i * _width];
            for (int r = 0; r < count; r++)
            {
                double sum = y[i * count + r];
                for (int d = 1; d < _width && i + d < _columns; d++)
                {
                    sum -= _r[i * _width + d] * solution[(i + d) * count + r];
                }

                solution[i * count + r] = Math.Abs(pivot) > pivotFloor ? sum / pivot : 0.0;
            }
        }
    }

    /// <summary>Rotates one row (window starting at <paramref name="start"/>) into R, logging each rotation.</summary>
    private void AddRow(int source, int start, Span<double> row)
    {
        _rowSource[_rows] = source;
        _rowRotations[_rows] = _rotations;

        // What is left of a row after its rotations is rounding noise once it is this small against the row's
        // own entries (an exactly dependent row, e.g. a repeated sample): carrying it on would make a pivot of
        // ~1e-17 that pairs with the row's O(1) residual and yields huge coefficients.
        double floor = 0.0;
        foreach (double value in row)
        {
            floor = Math.Max(floor, Math.Abs(value));
        }

        floor *= RoundingFloor;
        for (int i = start; i < _columns; i++)
        {
            double a = row[0];
            if (a != 0.0)
            {
                int offset = i * _width;
                double p = _r[offset];
                double h = double.Hypot(p, a);
                double c = p / h, s = a / h;
                _r[offset] = h;
                for (int d = 1; d < _width; d++)
                {
                    double t = _r[offset + d];
                    _r[offset + d] = c * t + s * row[d];
                    row[d] = c * row[d] - s * t;
                }

                _pivot[_rotations] = i;
                _cos[_rotations] = c;
                _sin[_rotations] = s;
                _rotations++;
            }

            bool remaining = false;
            for (int d = 0; d < _width - 1; d++)
            {
                row[d] = row[d + 1];
                remaining |= Math.Abs(row[d]) > floor;
            }

            row[_width - 1] = 0.0;
            if (!remaining)
            {
                break;
            }
        }

        _rowRotations[++_rows] = _rotations;
    }
}
