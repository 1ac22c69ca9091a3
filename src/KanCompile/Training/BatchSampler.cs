using KanCompile.Numerics;

namespace KanCompile.Training;

/// <summary>
/// Draws a batch of distinct samples (pykan's <c>np.random.choice(N, batch, replace=False)</c>) by a partial
/// Fisher–Yates shuffle and gathers their rows into buffers it owns. The full batch is the data itself, in order.
/// </summary>
internal sealed class BatchSampler
{
    private readonly ReadOnlyMemory<double> _inputs;
    private readonly ReadOnlyMemory<double> _labels;
    private readonly int _inputCount;
    private readonly int _outputCount;
    private readonly int[] _ids;
    private readonly double[]? _batchInputs;
    private readonly double[]? _batchLabels;

    public BatchSampler(ReadOnlyMemory<double> inputs, ReadOnlyMemory<double> labels, int inputCount, int outputCount, int batchSize)
    {
        _inputs = inputs;
        _labels = labels;
        _inputCount = inputCount;
        _outputCount = outputCount;
        int total = inputs.Length / inputCount;
        BatchSize = batchSize;
        IsFullBatch = batchSize >= total;
        _ids = [];
        if (!IsFullBatch)
        {
            // The full batch is the data itself, in order: no ids, no copies.
            _ids = new int[total];
            for (int i = 0; i < total; i++)
            {
                _ids[i] = i;
            }

            _batchInputs = new double[batchSize * inputCount];
            _batchLabels = new double[batchSize * outputCount];
        }
    }

    public int BatchSize { get; }

    public bool IsFullBatch { get; }

    /// <summary>Inputs of the current batch, row-major.</summary>
    public ReadOnlyMemory<double> Inputs => IsFullBatch ? _inputs : _batchInputs;

    /// <summary>Labels of the current batch, row-major.</summary>
    public ReadOnlyMemory<double> Labels => IsFullBatch ? _labels : _batchLabels;

    /// <summary>Draws the next batch (nothing to do for the full batch).</summary>
    public void Next(KanRandom random)
    {
        if (IsFullBatch)
        {
            return;
        }

        ReadOnlySpan<double> inputs = _inputs.Span, labels = _labels.Span;
        for (int k = 0; k < BatchSize; k++)
        {
            int pick = k + random.NextInt(_ids.Length - k);
            (_ids[k], _ids[pick]) = (_ids[pick], _ids[k]);
            int id = _ids[k];
            inputs.Slice(id * _inputCount, _inputCount).CopyTo(_batchInputs.AsSpan(k * _inputCount, _inputCount));
            labels.Slice(id * _outputCount, _outputCount).CopyTo(_batchLabels.AsSpan(k * _outputCount, _outputCount));
        }
    }
}
