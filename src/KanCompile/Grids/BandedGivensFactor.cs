namespace KanCompile.Grids;

/// <summary>
/// QR factor of a banded least-squares matrix built row by row with Givens rotations (the classic
/// spline-fitting scheme): R is upper triangular with <c>width</c> diagonals, stored row-wise, and the
/// rotations are logged so Qᵀ can be applied to any number of right-hand sides afterwards. Rows must arrive
/// ordered by their first non-zero column; then a row touches at most <c>width</c> rows of R.
/// Optional regularisation rows μ·e_i are interleaved in the same order, giving the factor of [A; μI].
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
    /// <param name="maxRows">Data rows plus regularisation rows that will be added.</param>
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
    /// Adds the data rows in <paramref name="rowOrder"/> (row s: window <c>values[s·width ..]</c> starting at
    /// column <c>rowStart[s]</c>) and, when <paramref name="mu"/> &gt; 0, the rows μ·e_i interleaved by column.
    /// </summary>
    public void Factor(ReadOnlySpan<int> rowOrder, int[] rowStart, double[] values, double mu)
    {
        Span<double> row = stackalloc double[_width];
        int nextRegularisation = 0;
        foreach (int s in rowOrder)
        {
            while (mu > 0.0 && nextRegularisation <= rowStart[s])
            {
                AddRegularisationRow(nextRegularisation++, mu, row);
            }

            values.AsSpan(s * _width, _width).CopyTo(row);
            AddRow(s, rowStart[s], row);
        }

        while (mu > 0.0 && nextRegularisation < _columns)
        {
            AddRegularisationRow(nextRegularisation++, mu, row);
        }
    }

    /// <summary>
    /// Solves min ‖A·x − b‖ (or the regularised problem, whose extra right-hand side is 0) for
    /// <paramref name="rightHandSides"/> columns of <paramref name="rightHandSide"/> ([row source][r]);
    /// writes <paramref name="solution"/> as [column][r].
    /// </summary>
    public void Solve(ReadOnlySpan<double> rightHandSide, int rightHandSides, Span<double> solution)
    {
        int count = rightHandSides;
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

        for (int i = _columns - 1; i >= 0; i--)
        {
            double pivot = _r[i * _width];
            for (int r = 0; r < count; r++)
            {
                double sum = transformed[i * count + r];
                for (int d = 1; d < _width && i + d < _columns; d++)
                {
                    sum -= _r[i * _width + d] * solution[(i + d) * count + r];
                }

                solution[i * count + r] = sum / pivot;
            }
        }
    }

    private void AddRegularisationRow(int column, double mu, Span<double> row)
    {
        row.Clear();
        row[0] = mu;
        AddRow(-1, column, row);
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
