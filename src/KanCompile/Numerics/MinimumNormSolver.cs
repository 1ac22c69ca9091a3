namespace KanCompile.Numerics;

/// <summary>
/// Minimum-norm solution of an under-determined banded system B·x = y (rows ≤ columns), as pykan's
/// initialisation gets from <c>torch.linalg.lstsq</c> (kan-math §2.5): x = Bᵀ(BBᵀ)⁻¹y. B is a B-spline
/// collocation matrix, so BBᵀ is banded and its Cholesky factor costs O(rows·band²). A zero pivot (an
/// all-zero row of B, e.g. k = 0 at the last knot) drops that equation, which is what lstsq's least-squares
/// answer does too.
/// </summary>
internal sealed class MinimumNormSolver
{
    private readonly double[,] _matrix;
    private readonly int _rows, _columns, _band;
    private readonly int[] _first, _last;
    private readonly double[][] _factor;

    /// <param name="matrix">B, rows × columns, rows ≤ columns.</param>
    public MinimumNormSolver(double[,] matrix)
    {
        _matrix = matrix;
        _rows = matrix.GetLength(0);
        _columns = matrix.GetLength(1);
        _first = new int[_rows];
        _last = new int[_rows];
        for (int a = 0; a < _rows; a++)
        {
            _first[a] = _columns;
            _last[a] = -1;
            for (int c = 0; c < _columns; c++)
            {
                if (matrix[a, c] != 0.0)
                {
                    _first[a] = Math.Min(_first[a], c);
                    _last[a] = c;
                }
            }
        }

        for (int a = 0; a < _rows; a++)
        {
            for (int b = 0; b < a; b++)
            {
                if (_last[b] >= _first[a] && _last[a] >= _first[b])
                {
                    _band = Math.Max(_band, a - b);
                }
            }
        }

        // Lower band of the Cholesky factor of BBᵀ: _factor[a][a - b] = L[a, b].
        _factor = new double[_rows][];
        double scale = 0.0;
        for (int a = 0; a < _rows; a++)
        {
            scale = Math.Max(scale, Gram(a, a));
        }

        double tolerance = 1e-13 * Math.Max(scale, double.Epsilon);
        for (int a = 0; a < _rows; a++)
        {
            _factor[a] = new double[_band + 1];
            for (int b = Math.Max(0, a - _band); b <= a; b++)
            {
                double sum = Gram(a, b);
                for (int c = Math.Max(0, a - _band); c < b; c++)
                {
                    sum -= L(a, c) * L(b, c);
                }

                if (a == b)
                {
                    _factor[a][0] = sum > tolerance ? Math.Sqrt(sum) : 0.0;
                }
                else
                {
                    double pivot = L(b, b);
                    _factor[a][a - b] = pivot == 0.0 ? 0.0 : sum / pivot;
                }
            }
        }
    }

    /// <summary>Solves for one right-hand side (length rows) into <paramref name="solution"/> (length columns).</summary>
    public void Solve(ReadOnlySpan<double> rightHandSide, Span<double> solution)
    {
        var z = new double[_rows];
        for (int a = 0; a < _rows; a++)
        {
            double sum = rightHandSide[a];
            for (int c = Math.Max(0, a - _band); c < a; c++)
            {
                sum -= L(a, c) * z[c];
            }

            double pivot = L(a, a);
            z[a] = pivot == 0.0 ? 0.0 : sum / pivot;
        }

        for (int a = _rows - 1; a >= 0; a--)
        {
            double sum = z[a];
            for (int c = a + 1; c <= Math.Min(_rows - 1, a + _band); c++)
            {
                sum -= L(c, a) * z[c];
            }

            double pivot = L(a, a);
            z[a] = pivot == 0.0 ? 0.0 : sum / pivot;
        }

        solution.Clear();
        for (int a = 0; a < _rows; a++)
        {
            for (int c = Math.Max(_first[a], 0); c <= _last[a]; c++)
            {
                solution[c] += _matrix[a, c] * z[a];
            }
        }
    }

    private double L(int a, int b) => a - b > _band ? 0.0 : _factor[a][a - b];

    private double Gram(int a, int b)
    {
        double sum = 0.0;
        int from = Math.Max(_first[a], _first[b]), to = Math.Min(_last[a], _last[b]);
        for (int c = from; c <= to; c++)
        {
            sum += _matrix[a, c] * _matrix[b, c];
        }

        return sum;
    }
}
