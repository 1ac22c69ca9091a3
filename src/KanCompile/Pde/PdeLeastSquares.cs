using KanCompile.Numerics;
using KanCompile.Symbolic.Discovery;
using KanCompile.Training;

namespace KanCompile.Pde;

/// <summary>
/// The physics-informed loss as a least-squares problem for Levenberg–Marquardt: residual s is √c_t·R_s, and its row of
/// the Jacobian is the gradient of that residual alone (one derivative pass and its adjoint per point). A row touches
/// only the k+1 coefficients of each edge's basis window and the edge scales, so rows are kept sparse and JᵀJ is formed
/// from their non-zeros. Every stage runs on the fit's workers and nothing depends on the threads: rows are written by
/// the one chunk that owns the point, the cost is summed in chunk order, and each entry of JᵀJ and Jᵀr is owned by one
/// thread that adds the points' contributions in point order.
/// </summary>
internal sealed unsafe class PdeLeastSquares : LevenbergMarquardt.INormalEquationsProblem, IChunkJob
{
    private const int MaxChunks = InputDerivativeLossEvaluator.ChunkCount;

    private readonly KanModel _model;
    private readonly PdeLoss _loss;
    private readonly ChunkWorkers _workers;
    private readonly double[] _costs = new double[MaxChunks];
    private readonly double[][] _scratch = new double[MaxChunks][];
    private double[] _trainable;
    private int _capacity;
    private int[] _columns = [];
    private double[] _values = [];
    private int[] _counts = [];
    private double[] _residuals = [];

    // The call in flight.
    private Stage _stage;
    private double* _normal;
    private double* _gradient;

    public PdeLeastSquares(KanModel model, PdeLoss loss, ChunkWorkers workers, double[] trainable)
    {
        _model = model;
        _loss = loss;
        _workers = workers;
        _trainable = trainable;
    }

    private enum Stage
    {
        Cost,
        Rows,
        Normal,
    }

    /// <summary>Most non-zeros one row of the Jacobian can have: each edge's basis window and two scales, and its affine parameters.</summary>
    public static int RowCapacity(KanModel model, int trainable) =>
        Math.Min(trainable, model.Layout.EdgeCount * (model.SplineOrder + 3 + (trainable > model.ParameterCount ? 4 : 0)));

    public int ParameterCount => _trainable.Length;

    public int ResidualCount => _loss.Count;

    /// <summary>The vector the solver moves (replaced after a grid update).</summary>
    public double[] Trainable
    {
        get => _trainable;
        set => _trainable = value;
    }

    private int Chunks => Math.Min(MaxChunks, ResidualCount);

    public void ReadParameters(Span<double> destination) => _trainable.CopyTo(destination);

    public void WriteParameters(ReadOnlySpan<double> source) => source.CopyTo(_trainable);

    public double Cost()
    {
        Run(Stage.Cost, Chunks);
        double total = 0.0;
        for (int c = 0; c < Chunks; c++)
        {
            total += _costs[c];
        }

        return double.IsFinite(total) ? total : double.PositiveInfinity;
    }

    public void NormalEquations(Span<double> normal, Span<double> gradient)
    {
        EnsureRows();
        Run(Stage.Rows, Chunks);
        normal.Clear();
        gradient.Clear();
        fixed (double* a = normal)
        fixed (double* g = gradient)
        {
            _normal = a;
            _gradient = g;
            try
            {
                Run(Stage.Normal, _workers.ThreadCount);
            }
            finally
            {
                _normal = null;
                _gradient = null;
            }
        }

        int p = ParameterCount;
        for (int a = 0; a < p; a++)
        {
            for (int b = 0; b < a; b++)
            {
                normal[a * p + b] = normal[b * p + a];
            }
        }
    }

    public void RunChunk(int chunk)
    {
        switch (_stage)
        {
            case Stage.Normal:
                AccumulateNormal(chunk);
                return;
            case Stage.Rows:
                ComputeRows(chunk);
                return;
            default:
                _costs[chunk] = ChunkCost(chunk);
                return;
        }
    }

    public void Dispose()
    {
        // The buffers serve the next step as well; they go with the fit.
    }

    private double ChunkCost(int chunk)
    {
        int n = _model.InputCount, m = _model.OutputCount, h = _model.HessianLength(_loss.Second);
        Span<double> scratch = Scratch(chunk, 2 * (m + m * n + h));
        Span<double> y = scratch.Slice(0, m), jacobian = scratch.Slice(m, m * n), hessian = scratch.Slice(m + m * n, h);
        Span<double> sensitivities = scratch.Slice(m + m * n + h);
        var (from, to) = Range(chunk);
        double cost = 0.0;
        for (int s = from; s < to; s++)
        {
            ReadOnlySpan<double> x = _loss.Inputs.AsSpan(s * n, n);
            _model.Kernel.InputDerivatives(x, y, jacobian, hessian, _loss.Second, _trainable, _model.KnotTable, _model.MaskBuffer);
            sensitivities.Clear();
            double r = _loss.Evaluate(s, x, y, jacobian, hessian, sensitivities.Slice(0, m), sensitivities.Slice(m, m * n), sensitivities.Slice(m + m * n, h));
            cost += r * r;
        }

        return cost;
    }

    private void ComputeRows(int chunk)
    {
        int n = _model.InputCount, p = ParameterCount;
        Span<double> row = Scratch(chunk, p);
        var (from, to) = Range(chunk);
        for (int s = from; s < to; s++)
        {
            row.Clear();
            _residuals[s] = _model.Kernel.InputDerivativeLossGradient(_loss.Inputs.AsSpan(s * n, n), s, 1, _loss.Second, _loss, _trainable, _model.KnotTable, _model.MaskBuffer, row);
            int count = 0, start = s * _capacity;
            for (int a = 0; a < p; a++)
            {
                if (row[a] != 0.0)
                {
                    if (count == _capacity)
                    {
                        throw new InvalidOperationException($"A residual's Jacobian row has more than the {_capacity} non-zeros its edges allow.");
                    }

                    _columns[start + count] = a;
                    _values[start + count++] = row[a];
                }
            }

            _counts[s] = count;
        }
    }

    /// <summary>Rows [from, to) of JᵀJ (upper triangle) and entries [from, to) of Jᵀr, over every point in order.</summary>
    private void AccumulateNormal(int part)
    {
        int p = ParameterCount, parts = _workers.ThreadCount;

        // Row a of the upper triangle has p − a entries: split so each part gets about the same number.
        int from = Boundary(part, parts, p), to = Boundary(part + 1, parts, p);
        for (int s = 0; s < ResidualCount; s++)
        {
            int start = s * _capacity, count = _counts[s];
            double residual = _residuals[s];
            for (int i = 0; i < count; i++)
            {
                int a = _columns[start + i];
                if (a < from)
                {
                    continue;
                }

                if (a >= to)
                {
                    break;
                }

                double value = _values[start + i];
                _gradient[a] += value * residual;
                double* target = _normal + (long)a * p;
                for (int j = i; j < count; j++)
                {
                    target[_columns[start + j]] += value * _values[start + j];
                }
            }
        }
    }

    private static int Boundary(int part, int parts, int p) =>
        part >= parts ? p : (int)Math.Round(p * (1.0 - Math.Sqrt(1.0 - (double)part / parts)));

    private (int From, int To) Range(int chunk) =>
        ((int)((long)ResidualCount * chunk / Chunks), (int)((long)ResidualCount * (chunk + 1) / Chunks));

    private Span<double> Scratch(int chunk, int length)
    {
        if (_scratch[chunk] is not { } buffer || buffer.Length < length)
        {
            _scratch[chunk] = buffer = new double[length];
        }

        return buffer.AsSpan(0, length);
    }

    private void EnsureRows()
    {
        int capacity = RowCapacity(_model, ParameterCount);
        if (_capacity != capacity || _counts.Length != ResidualCount)
        {
            _capacity = capacity;
            _columns = new int[ResidualCount * capacity];
            _values = new double[ResidualCount * capacity];
            _counts = new int[ResidualCount];
            _residuals = new double[ResidualCount];
        }
    }

    private void Run(Stage stage, int chunks)
    {
        _stage = stage;
        _loss.ResidualRows = true;
        try
        {
            _workers.Run(this, chunks);
        }
        finally
        {
            _loss.ResidualRows = false;
        }
    }
}
