namespace KanCompile.Grids;

/// <summary>
/// QR factor of a banded least-squares matrix built row by row with Givens rotations (the classic
/// spline-fitting scheme): R is upper triangular with <c>width</c> diagonals, stored row-wise, and the
/// rotations are logged so Qᵀ can be applied to any number of right-hand sides afterwards. Rows must arrive
/// ordered by their first non-zero column; then a row touches at most <c>width</c> rows of R.
/// </summary>
internal sealed class BandedGivensFactor
{
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
    /// The minimum-norm least-squares solution when A is rank-deficient. With A = Q·[R; 0], A⁺b = R⁺(Qᵀb).
    /// Rows of R that are zero or rounding noise (every entry ≤ <paramref name="tolerance"/> × the largest) are
    /// dropped; the rest, R₁, has full row rank. A second banded Givens factorisation R₁ᵀ = Q₂·[R₂; 0] (a complete
    /// orthogonal decomposition) gives R₁⁺c = Q₂·[R₂⁻ᵀc; 0]. (The semi-normal equations R₁ᵀ(R₂ᵀR₂)⁻¹c square
    /// the condition number and lost all accuracy with about one sample per grid interval.)
    /// </summary>
    public void SolveMinimumNorm(ReadOnlySpan<double> rightHandSide, int rightHandSides, Span<double> solution, double tolerance)
    {
        int count = rightHandSides, w = _width;
        double[] transformed = ApplyTransposedQ(rightHandSide, count);
        double largest = 0.0;
        foreach (double value in _r)
        {
            largest = Math.Max(largest, Math.Abs(value));
        }

        // Kept rows of R, numbered consecutively.
        var keptIndex = new int[_columns];
        var keptRow = new int[_columns];
        int kept = 0;
        for (int i = 0; i < _columns; i++)
        {
            double rowMax = 0.0;
            for (int d = 0; d < w; d++)
            {
                rowMax = Math.Max(rowMax, Math.Abs(_r[i * w + d]));
            }

            keptIndex[i] = rowMax > tolerance * largest ? kept : -1;
            if (keptIndex[i] >= 0)
            {
                keptRow[kept++] = i;
            }
        }

        solution.Slice(0, _columns * count).Clear();
        if (kept == 0)
        {
            return;
        }

        // Rows of R₁ᵀ: column c of R restricted to kept rows i ∈ (c − w, c], contiguous in kept numbering.
        var rowStart = new int[_columns];
        var values = new double[_columns * w];
        var rowOrder = new int[_columns];
        int rows = 0;
        for (int c = 0; c < _columns; c++)
        {
            int start = -1, q = 0;
            for (int i = Math.Max(0, c - w + 1); i <= c; i++)
            {
                if (keptIndex[i] < 0)
                {
                    continue;
                }

                start = start < 0 ? keptIndex[i] : start;
                values[c * w + q++] = _r[i * w + (c - i)];
            }

            if (start >= 0)
            {
                rowStart[c] = start;
                rowOrder[rows++] = c;
            }
        }

        var second = new BandedGivensFactor(kept, w, rows);
        second.Factor(rowOrder.AsSpan(0, rows), rowStart, values);
        double pivotFloor = tolerance * second.LargestDiagonal;

        // R₂ᵀ·w = c₁ by forward substitution; a vanishing pivot (dependent kept rows) gives 0.
        var z = new double[kept * count];
        for (int a = 0; a < kept; a++)
        {
            double pivot = second._r[a * w];
            for (int r = 0; r < count; r++)
            {
                double sum = transformed[keptRow[a] * count + r];
                for (int d = 1; d < w && a - d >= 0; d++)
                {
                    sum -= second._r[(a - d) * w + d] * z[(a - d) * count + r];
                }

                z[a * count + r] = Math.Abs(pivot) > pivotFloor ? sum / pivot : 0.0;
            }
        }

        // x = Q₂·[w; 0]: R₁ᵀ = Q₂·[R₂; 0], so R₁x = R₂ᵀw = c₁ and x lies in the row space of R₁. Applying Q₂
        // instead of forming R₁ᵀ(R₂ᵀR₂)⁻¹c₁ keeps the condition number from being squared.
        second.ApplyQ(z, count, solution);
    }

    /// <summary>
    /// Q·[w; 0] for the logged rotations (the inverse of <see cref="ApplyTransposedQ"/> with a zero residual):
    /// undoes every row's rotations, last row first; row s's value lands in <paramref name="result"/> [s][r].
    /// </summary>
    private void ApplyQ(ReadOnlySpan<double> w, int count, Span<double> result)
    {
        var transformed = w.Slice(0, _columns * count).ToArray();
        Span<double> b = count <= 256 ? stackalloc double[count] : new double[count];
        for (int row = _rows - 1; row >= 0; row--)
        {
            b.Clear();
            for (int q = _rowRotations[row + 1] - 1; q >= _rowRotations[row]; q--)
            {
                int offset = _pivot[q] * count;
                double c = _cos[q], s = _sin[q];
                for (int r = 0; r < count; r++)
                {
                    double t = transformed[offset + r];
                    transformed[offset + r] = c * t - s * b[r];
                    b[r] = s * t + c * b[r];
                }
            }

            int source = _rowSource[row];
            if (source >= 0)
            {
                b.CopyTo(result.Slice(source * count, count));
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
                remaining |= row[d] != 0.0;
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
