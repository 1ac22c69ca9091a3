using System.Diagnostics.CodeAnalysis;
using System.Numerics.Tensors;
using KanCompile.Compilation;
using KanCompile.Generators.Emit;
using KanCompile.Numerics;
using KanCompile.Training.Optimizers;

namespace KanCompile.Training;

/// <summary>
/// pykan's fit objective over one batch, loss + λ·reg (the loss is <see cref="FitOptions.Loss"/>, MSE by default), with its gradient, computed on all cores: the batch is
/// cut into fixed contiguous chunks, each chunk accumulates into its own gradient buffer, and the buffers are
/// summed in chunk order, so a given chunking always gives the same bits. Kernels with a folded batch path
/// (<see cref="KanKernel.FoldedLength"/> &gt; 0) fold the parameters once per evaluation, the chunks accumulate
/// dL/dF in folded space, the reduction (split by ranges over the threads, each value still summed in chunk
/// order) and the unfold into dL/dθ run once. With the regulariser, a first pass
/// (<see cref="KanKernel.TraceFolded"/> on folded kernels, else <see cref="KanKernel.Trace"/> per sample) gathers the batch statistics, and the backward pass adds the statistic
/// terms through <see cref="EdgeStatisticGradient"/>. Nothing is allocated per evaluation, and a fit that follows
/// another of the same shape reuses the last one's buffers (<see cref="Rent"/>, <see cref="Park"/>).
/// </summary>
internal sealed class KanObjective : IOptimizerObjective, IChunkJob
{
    /// <summary>
    /// The last fit's objective: the next fit of the same shape takes its buffers (allocating them on the pinned heap
    /// costs about a step of a small model, and on a large one triggers full collections).
    /// </summary>
    private static readonly ParkingSlot<KanObjective> s_parked = new();

    // The fit in progress (replaced by Rent when a parked objective is reused).
    private KanModel _model;
    private ChunkWorkers _workers;
    private double[]? _trainable;
    private RegularizationWeights _weights;
    private KanLoss _loss;
    private FrozenParameters _frozen;

    private readonly int _maxChunks;
    private readonly int _parameterCount;
    private readonly KernelLayout _layout;
    // Cache-line aligned: the kernels read F and accumulate dL/dF with 32-byte vectors (see AlignedBuffer).
    private readonly AlignedBuffer[] _chunkGradients;
    private AlignedBuffer _folded;
    private readonly double[] _chunkErrors;
    // Per chunk: a block of traced samples' node values and edge activations (rows), then one sample's spline values.
    private readonly double[][] _chunkTraces;
    private readonly int _traceRows;
    private readonly BatchStatistics _statistics;
    private readonly KanRegularizer _regularizer;
    private readonly double[] _testOutputs;
    private readonly double[] _best;
    // Per chunk: a sample's dL/dy while the test loss is measured (a cache line apart).
    private readonly double[] _chunkLossGradients;
    private double _bestValue;

    // The call in flight, read by the chunks.
    private Mode _mode;
    private ReadOnlyMemory<double> _inputs;
    private ReadOnlyMemory<double> _labels;
    private Memory<double> _outputs;
    private int _lastOutputCount;
    private int _count;
    private int _chunks;
    private double _errorScale;
    private bool _statisticTerms;
    private KanKernel _kernel = null!;
    private double[] _parameters = null!;
    private double[] _knots = null!;
    private double[] _masks = null!;
    private int _foldedLength;

    /// <summary>Padding (in doubles) between the chunks' error slots: one cache line each.</summary>
    private const int CachePad = 8;

    /// <summary>Below this many additions the caller sums the chunks' dL/dF itself: waking the workers costs more.</summary>
    private const long SerialReduceAdditions = 1 << 16;

    /// <summary>Doubles of dL/dF summed over all chunks at a time (4 kB: one block of the total stays in L1).</summary>
    private const int ReduceBlock = 512;

    // trainable: the vector the optimiser moves when it is not the model's spline parameters — for a model with
    // symbolic edges, [spline parameters | (a, b, c, d) of every edge], which its mixed kernel reads and
    // differentiates directly. Null trains the model's ParameterBuffer.
    public KanObjective(KanModel model, ChunkWorkers workers, int maxChunks, int maxTestCount, FitOptions options, CancellationToken cancellationToken, double[]? trainable = null)
    {
        _maxChunks = maxChunks;
        _layout = model.Layout;
        _parameterCount = trainable?.Length ?? model.ParameterCount;
        _chunkGradients = new AlignedBuffer[maxChunks];
        _chunkTraces = new double[maxChunks][];
        _traceRows = TraceRows(_layout);
        // A chunk's buffer holds its dL/dθ or, with a folded kernel, its dL/dF.
        int foldedLength = trainable is null ? model.Kernel.FoldedLength : 0;
        _folded = new AlignedBuffer(foldedLength);
        for (int c = 0; c < maxChunks; c++)
        {
            // The tail padding keeps the next chunk's array off this one's last cache line.
            _chunkGradients[c] = new AlignedBuffer(Math.Max(_parameterCount, foldedLength) + CachePad);
            _chunkTraces[c] = new double[_traceRows * (_layout.NodeCount + _layout.EdgeCount) + _layout.EdgeCount + CachePad];
        }

        _chunkErrors = new double[maxChunks * CachePad];
        _statistics = new BatchStatistics(_layout, maxChunks);
        _regularizer = new KanRegularizer(_layout);
        _testOutputs = new double[maxTestCount * model.OutputCount];
        _chunkLossGradients = new double[maxChunks * (model.OutputCount + CachePad)];
        _best = new double[_parameterCount];
        Bind(model, workers, options, cancellationToken, trainable);
    }

    /// <summary>
    /// An objective for a fit: the parked one when its buffers fit this model, chunking and test batch (its state reset
    /// as a new one's), else a new one. Hand it back with <see cref="Park"/> when the fit is done.
    /// </summary>
    public static KanObjective Rent(KanModel model, ChunkWorkers workers, int maxChunks, int maxTestCount, FitOptions options, CancellationToken cancellationToken, double[]? trainable = null)
    {
        KanObjective? parked = s_parked.Take();
        if (parked is not null && parked.Fits(model, maxChunks, maxTestCount, trainable))
        {
            parked.Bind(model, workers, options, cancellationToken, trainable);
            return parked;
        }

        return new KanObjective(model, workers, maxChunks, maxTestCount, options, cancellationToken, trainable);
    }

    /// <summary>Parks this objective for the next fit's <see cref="Rent"/>, dropping its references to the model and the data; do not use it after.</summary>
    public void Park()
    {
        _model = null!;
        _workers = null!;
        _trainable = null;
        _kernel = null!;
        _parameters = null!;
        _knots = null!;
        _masks = null!;
        _inputs = default;
        _labels = default;
        _outputs = default;
        s_parked.Park(this);
    }

    /// <summary>Whether the buffers suit a fit of <paramref name="model"/> (same kernel shape and parameter vector, enough room for the test batch).</summary>
    private bool Fits(KanModel model, int maxChunks, int maxTestCount, double[]? trainable) =>
        maxChunks == _maxChunks
        && _layout.Spec.Equals(model.Layout.Spec)
        && (trainable?.Length ?? model.ParameterCount) == _parameterCount
        && maxTestCount * model.OutputCount <= _testOutputs.Length;

    /// <summary>Points the objective at a fit: every setting and result starts as in a new objective.</summary>
    [MemberNotNull(nameof(_model), nameof(_workers), nameof(_loss))]
    private void Bind(KanModel model, ChunkWorkers workers, FitOptions options, CancellationToken cancellationToken, double[]? trainable)
    {
        _model = model;
        _workers = workers;
        _trainable = trainable;
        _weights = RegularizationWeights.From(options);
        _loss = options.Loss;
        _frozen = new FrozenParameters(options);
        Lambda = options.Lambda;
        CancellationToken = cancellationToken;
        ComputeRegularization = false;
        LossWeight = 1.0;
        LastLoss = 0.0;
        LastRegularization = 0.0;
        Cancelled = false;
        NonFinite = false;
        _lastOutputCount = 0;
        _bestValue = double.PositiveInfinity;
    }

    private enum Mode
    {
        Gradient,
        ReduceFolded,
        Statistics,
        TestError,
    }

    /// <summary>λ: the weight of the regulariser in the objective.</summary>
    public double Lambda { get; set; }

    /// <summary>Whether evaluations compute the regulariser (pykan: when λ &gt; 0, and on the last step).</summary>
    public bool ComputeRegularization { get; set; }

    /// <summary>Weight of the loss term (1 in a fit; 0 isolates the regulariser for tests).</summary>
    public double LossWeight { get; set; } = 1.0;

    public CancellationToken CancellationToken { get; private set; }

    /// <summary>Mean loss of the last evaluation (for MSE, pykan's <c>train_loss</c> before the square root).</summary>
    public double LastLoss { get; private set; }

    /// <summary>Regulariser value of the last evaluation (0 when not computed).</summary>
    public double LastRegularization { get; private set; }

    /// <summary>True when the last evaluation stopped because of cancellation.</summary>
    public bool Cancelled { get; private set; }

    /// <summary>True when the last evaluation met a non-finite value or gradient.</summary>
    public bool NonFinite { get; private set; }

    /// <summary>The outputs of the last <see cref="MeanLoss"/> call (row-major).</summary>
    public ReadOnlySpan<double> LastOutputs => _outputs.Span.Slice(0, _lastOutputCount);

    internal KanRegularizer Regularizer => _regularizer;

    internal BatchStatistics Statistics => _statistics;

    /// <summary>Points the objective at a batch of row-major samples.</summary>
    public void SetBatch(ReadOnlyMemory<double> inputs, ReadOnlyMemory<double> labels, int count)
    {
        _inputs = inputs;
        _labels = labels;
        _count = count;
    }

    public bool TryEvaluate(Span<double> gradient, out double value)
    {
        if (CancellationToken.IsCancellationRequested)
        {
            Cancelled = true;
            value = double.NaN;
            return false;
        }

        value = Evaluate(gradient);
        if (!double.IsFinite(value) || !FiniteValues.All(gradient))
        {
            NonFinite = true;
            return false;
        }

        if (value < _bestValue)
        {
            _bestValue = value;
            _parameters.CopyTo(_best, 0);
        }

        return true;
    }

    /// <summary>Objective LossWeight·loss + λ·reg at the model's current parameters; writes the gradient (0 for frozen parameters).</summary>
    public double Evaluate(Span<double> gradient)
    {
        BindModel();
        if (gradient.Length != _parameterCount)
        {
            throw new ArgumentException($"The gradient buffer has {gradient.Length} values; the model has {_parameterCount} parameters.", nameof(gradient));
        }

        _chunks = Math.Min(_maxChunks, _count);
        FoldParameters();
        double regularization = 0.0;
        _statisticTerms = false;
        if (ComputeRegularization && _count >= 2)
        {
            regularization = GatherRegularization();
            if (Lambda != 0.0)
            {
                _regularizer.ComputeBackwardWeights(_statistics, Lambda);
                _statisticTerms = true;
            }
        }

        _mode = Mode.Gradient;
        _errorScale = LossWeight / LossDivisor(_count);
        _workers.Run(this, _chunks);

        gradient.Clear();
        double squaredError = 0.0;
        for (int c = 0; c < _chunks; c++)
        {
            squaredError += _chunkErrors[c * CachePad];
        }

        if (_foldedLength > 0)
        {
            // dL/dF of all chunks into chunk 0's buffer (value by value in chunk order), then dL/dθ once.
            if (_chunks > 1)
            {
                if ((long)_foldedLength * (_chunks - 1) < SerialReduceAdditions)
                {
                    ReduceFolded(0, 1);
                }
                else
                {
                    _mode = Mode.ReduceFolded;
                    _workers.Run(this, _workers.ThreadCount);
                }
            }

            _kernel.UnfoldGradient(_chunkGradients[0].Slice(0, _foldedLength), _parameters, _masks, gradient);
        }
        else
        {
            for (int c = 0; c < _chunks; c++)
            {
                TensorPrimitives.Add(gradient, _chunkGradients[c].Slice(0, _parameterCount), gradient);
            }
        }

        if (_statisticTerms)
        {
            _regularizer.AddCoefficientGradient(_parameters, gradient, _weights, Lambda);
        }

        if (_frozen.Any)
        {
            _frozen.Clear(_layout, gradient);
        }

        LastLoss = squaredError / LossDivisor(_count);
        LastRegularization = regularization;
        return LossWeight * LastLoss + Lambda * regularization;
    }

    /// <summary>The regulariser at the model's current parameters over the current batch (no gradient); 0 for fewer than 2 samples.</summary>
    public double MeasureRegularization()
    {
        BindModel();
        if (_count < 2)
        {
            return 0.0;
        }

        _chunks = Math.Min(_maxChunks, _count);
        FoldParameters();
        return GatherRegularization();
    }

    /// <summary>With a folded kernel: F from the current parameters, read by the statistics and the gradient passes.</summary>
    private void FoldParameters()
    {
        _foldedLength = _trainable is null ? _kernel.FoldedLength : 0;
        if (_foldedLength > 0)
        {
            EnsureFoldedCapacity();
            _kernel.Fold(_parameters, _masks, _folded.Span);
        }
    }

    /// <summary>The batch statistics on all cores, merged in chunk order, and the regulariser's value from them.</summary>
    private double GatherRegularization()
    {
        _mode = Mode.Statistics;
        _workers.Run(this, _chunks);
        _statistics.Merge(_chunks);
        return _regularizer.Evaluate(_statistics, _parameters, _weights);
    }

    /// <summary>
    /// Mean loss of the model on a batch (forward only, all cores); the outputs are left in <paramref name="outputs"/>
    /// (default: the objective's own buffer, for test batches).
    /// </summary>
    public double MeanLoss(ReadOnlyMemory<double> inputs, ReadOnlyMemory<double> labels, int count, Memory<double> outputs = default)
    {
        if (outputs.IsEmpty)
        {
            outputs = _testOutputs;
        }

        if (count * _model.OutputCount > outputs.Length)
        {
            throw new ArgumentException($"At most {outputs.Length / _model.OutputCount} samples fit the evaluation buffer; got {count}.", nameof(count));
        }

        BindModel();
        _outputs = outputs;
        _lastOutputCount = count * _model.OutputCount;

        // A test batch smaller than the model (the usual one-row or small split) runs sample by sample here: the
        // batch path would refold every parameter and wake the workers for a handful of samples, each step.
        if ((long)count * _layout.EdgeCount < _parameterCount)
        {
            return SmallBatchMeanLoss(inputs.Span, labels.Span, count, outputs.Span);
        }

        var (savedInputs, savedLabels, savedCount) = (_inputs, _labels, _count);
        SetBatch(inputs, labels, count);
        _chunks = Math.Min(_maxChunks, count);
        _mode = Mode.TestError;
        _workers.Run(this, _chunks);
        double squaredError = 0.0;
        for (int c = 0; c < _chunks; c++)
        {
            squaredError += _chunkErrors[c * CachePad];
        }

        SetBatch(savedInputs, savedLabels, savedCount);
        return squaredError / LossDivisor(count);
    }

    /// <summary>What the summed per-sample losses are divided by: samples × outputs for MSE (pykan's mean over every value), samples otherwise.</summary>
    private double LossDivisor(int count) => _loss.AveragesOverOutputs ? (double)count * _model.OutputCount : count;

    private double SmallBatchMeanLoss(ReadOnlySpan<double> inputs, ReadOnlySpan<double> labels, int count, Span<double> outputs)
    {
        int inputCount = _model.InputCount, outputCount = _model.OutputCount;
        for (int s = 0; s < count; s++)
        {
            _kernel.Forward(inputs.Slice(s * inputCount, inputCount), outputs.Slice(s * outputCount, outputCount), _parameters, _knots, _masks);
        }

        // The calling thread alone: chunk 0's loss scratch is free.
        return SummedLoss(0, outputs.Slice(0, count * outputCount), labels.Slice(0, count * outputCount)) / LossDivisor(count);
    }

    /// <summary>Forgets the best point (after a grid update the old parameters no longer fit the knots) and remembers the current one.</summary>
    public void ResetBest()
    {
        BindModel();
        _parameters.CopyTo(_best, 0);
        _bestValue = double.PositiveInfinity;
    }

    /// <summary>Writes the parameters of the lowest finite objective seen since <see cref="ResetBest"/>.</summary>
    public void RestoreBest(Span<double> parameters) => _best.CopyTo(parameters);

    public void RunChunk(int chunk)
    {
        if (_mode == Mode.ReduceFolded)
        {
            ReduceFolded(chunk, _workers.ThreadCount);
            return;
        }

        int from = (int)((long)_count * chunk / _chunks), to = (int)((long)_count * (chunk + 1) / _chunks);
        int inputCount = _model.InputCount, outputCount = _model.OutputCount;
        ReadOnlySpan<double> inputs = _inputs.Span.Slice(from * inputCount, (to - from) * inputCount);
        ReadOnlySpan<double> labels = _labels.Span.Slice(from * outputCount, (to - from) * outputCount);
        switch (_mode)
        {
            case Mode.Statistics:
                GatherStatistics(chunk, inputs, to - from);
                break;
            case Mode.Gradient:
                var terms = _statisticTerms
                    ? new EdgeStatisticGradient(_regularizer.EdgeWeight, _statistics.EdgeMean, _regularizer.NodeWeight, _statistics.NodeMean)
                    : default;
                if (_foldedLength > 0)
                {
                    var foldedGradient = _chunkGradients[chunk].Slice(0, _foldedLength);
                    foldedGradient.Clear();
                    _chunkErrors[chunk * CachePad] = _kernel.LossGradientFolded(inputs, labels, to - from, _errorScale, _loss, _folded.Span, _knots, foldedGradient, terms);
                }
                else
                {
                    var gradient = _chunkGradients[chunk].Slice(0, _parameterCount);
                    gradient.Clear();
                    _chunkErrors[chunk * CachePad] = _kernel.LossGradientBatch(inputs, labels, to - from, _errorScale, _loss, _parameters, _knots, _masks, gradient, terms);
                }

                break;
            default:
                var outputs = _outputs.Span.Slice(from * outputCount, (to - from) * outputCount);
                _kernel.ForwardBatch(inputs, outputs, to - from, _parameters, _knots, _masks);
                _chunkErrors[chunk * CachePad] = SummedLoss(chunk, outputs, labels);
                break;
        }
    }

    /// <summary>Σ over the samples of a chunk's outputs of their loss (the squared error inline, as the kernels compute it).</summary>
    private double SummedLoss(int chunk, ReadOnlySpan<double> outputs, ReadOnlySpan<double> labels)
    {
        double sum = 0.0;
        if (ReferenceEquals(_loss, KanLoss.MeanSquaredError))
        {
            for (int i = 0; i < outputs.Length; i++)
            {
                double error = outputs[i] - labels[i];
                sum += error * error;
            }

            return sum;
        }

        int outputCount = _model.OutputCount;
        Span<double> gradient = _chunkLossGradients.AsSpan(chunk * (outputCount + CachePad), outputCount);
        for (int at = 0; at < outputs.Length; at += outputCount)
        {
            sum += _loss.Evaluate(outputs.Slice(at, outputCount), labels.Slice(at, outputCount), gradient);
        }

        return sum;
    }

    /// <summary>Range <paramref name="part"/> of <paramref name="parts"/>: chunk 0's dL/dF += chunk 1's, += chunk 2's, … (the order of the unfolded reduction).</summary>
    private void ReduceFolded(int part, int parts)
    {
        // Whole cache lines per range, so two threads never write the same line.
        int lines = (_foldedLength + CachePad - 1) / CachePad;
        int from = (int)((long)lines * part / parts) * CachePad, to = Math.Min(_foldedLength, (int)((long)lines * (part + 1) / parts) * CachePad);
        if (from >= to)
        {
            return;
        }

        // Block by block, so a block of the total stays in L1 while every chunk is added to it (same order per value).
        for (int block = from; block < to; block += ReduceBlock)
        {
            int length = Math.Min(ReduceBlock, to - block);
            var total = _chunkGradients[0].Slice(block, length);
            for (int c = 1; c < _chunks; c++)
            {
                TensorPrimitives.Add(total, _chunkGradients[c].Slice(block, length), total);
            }
        }
    }

    /// <summary>The kernel may have changed since construction (another grid size): grows the folded buffers once.</summary>
    private void EnsureFoldedCapacity()
    {
        if (_folded.Length < _foldedLength)
        {
            _folded = new AlignedBuffer(_foldedLength);
        }

        for (int c = 0; c < _maxChunks; c++)
        {
            if (_chunkGradients[c].Length < _foldedLength + CachePad)
            {
                _chunkGradients[c] = new AlignedBuffer(_foldedLength + CachePad);
            }
        }
    }

    /// <summary>
    /// One chunk's batch statistics, a block of <see cref="_traceRows"/> samples at a time: traced by the kernel's batch
    /// path through the folded table when it has one, else sample by sample (<see cref="KanKernel.Trace"/>).
    /// </summary>
    private void GatherStatistics(int chunk, ReadOnlySpan<double> inputs, int count)
    {
        _statistics.ResetChunk(chunk);
        int nodeCount = _layout.NodeCount, edgeCount = _layout.EdgeCount, inputCount = _model.InputCount;
        Span<double> trace = _chunkTraces[chunk];
        Span<double> nodes = trace.Slice(0, _traceRows * nodeCount);
        Span<double> edges = trace.Slice(nodes.Length, _traceRows * edgeCount);
        Span<double> splines = trace.Slice(nodes.Length + edges.Length, edgeCount);
        for (int first = 0; first < count; first += _traceRows)
        {
            int rows = Math.Min(_traceRows, count - first);
            ReadOnlySpan<double> block = inputs.Slice(first * inputCount, rows * inputCount);
            if (_foldedLength > 0)
            {
                _kernel.TraceFolded(block, rows, _folded.Span, _knots, nodes, edges);
            }
            else
            {
                for (int s = 0; s < rows; s++)
                {
                    _kernel.Trace(block.Slice(s * inputCount, inputCount), _parameters, _knots, _masks, nodes.Slice(s * nodeCount, nodeCount), edges.Slice(s * edgeCount, edgeCount), splines);
                }
            }

            _statistics.AddRows(chunk, nodes, edges, rows);
        }
    }

    /// <summary>Samples traced per block for the statistics: as many as fit about 32 kB of rows (L1), 8 to 64.</summary>
    private static int TraceRows(KernelLayout layout) => Math.Clamp(4096 / (layout.NodeCount + layout.EdgeCount) / 8 * 8, 8, 64);

    /// <summary>Reads the model's buffers afresh: a grid update replaces the knots (and may replace the arrays).</summary>
    private void BindModel()
    {
        if (_trainable is null && _model.ParameterCount != _parameterCount)
        {
            throw new InvalidOperationException($"The model now has {_model.ParameterCount} parameters; this fit started with {_parameterCount}.");
        }

        _kernel = _model.Kernel;
        _parameters = _trainable ?? _model.ParameterBuffer;
        _knots = _model.KnotTable;
        _masks = _model.MaskBuffer;
    }
}
