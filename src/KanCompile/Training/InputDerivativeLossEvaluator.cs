using System.Numerics.Tensors;
using KanCompile.Compilation;

namespace KanCompile.Training;

/// <summary>
/// Σ_s ℓ_s of an <see cref="InputDerivativeLoss"/> over a batch and its parameter gradient, on all cores with a fixed
/// chunking: the batch is cut into <see cref="ChunkCount"/> contiguous chunks (fewer only when there are fewer samples),
/// each chunk accumulates into its own gradient buffer and the buffers and loss sums are added in chunk order, so the
/// bits do not depend on the number of threads or on which thread ran a chunk. The buffers live as long as the
/// evaluator: on <see cref="ChunkWorkers"/> an evaluation allocates nothing.
/// </summary>
internal sealed unsafe class InputDerivativeLossEvaluator : IChunkJob
{
    /// <summary>Chunks a batch is cut into (as many as <see cref="KanModel"/>'s fit uses).</summary>
    public const int ChunkCount = 16;

    private const int CachePad = 8;

    private readonly double[][] _chunkGradients;
    private readonly double[] _chunkLosses = new double[ChunkCount * CachePad];

    // The call in flight, read by the chunks.
    private KanKernel _kernel = null!;
    private InputDerivativeLoss _loss = null!;
    private SecondDerivatives _second;
    private double* _inputs;
    private int _inputCount;
    private int _count;
    private int _chunks;
    private double[] _parameters = null!;
    private double[] _knots = null!;
    private double[] _masks = null!;

    /// <param name="gradientLength">Values of the gradient: the model's parameters, or [splines | affine] with symbolic edges.</param>
    public InputDerivativeLossEvaluator(int gradientLength)
    {
        GradientLength = gradientLength;
        _chunkGradients = new double[ChunkCount][];
        for (int c = 0; c < ChunkCount; c++)
        {
            _chunkGradients[c] = new double[gradientLength + CachePad];
        }
    }

    public int GradientLength { get; }

    /// <summary>
    /// Adds the gradient of Σ_s ℓ_s into <paramref name="gradient"/> and returns Σ_s ℓ_s, running the chunks on
    /// <paramref name="workers"/> (or, when null, on the thread pool for large batches).
    /// </summary>
    public double Evaluate(KanKernel kernel, ReadOnlySpan<double> inputs, int inputCount, SecondDerivatives second, InputDerivativeLoss loss, double[] parameters, double[] knots, double[] masks, Span<double> gradient, ChunkWorkers? workers)
    {
        if (gradient.Length != GradientLength)
        {
            throw new ArgumentException($"The parameter gradient has {gradient.Length} values; the model trains {GradientLength}.", nameof(gradient));
        }

        int count = inputs.Length / inputCount;
        (_kernel, _loss, _second, _inputCount, _count, _parameters, _knots, _masks) = (kernel, loss, second, inputCount, count, parameters, knots, masks);
        _chunks = Math.Max(1, Math.Min(ChunkCount, count));
        try
        {
            fixed (double* x = inputs)
            {
                _inputs = x;
                if (workers is not null)
                {
                    workers.Run(this, _chunks);
                }
                else if (count * (long)parameters.Length < SerialWork || Environment.ProcessorCount == 1)
                {
                    for (int c = 0; c < _chunks; c++)
                    {
                        RunChunk(c);
                    }
                }
                else
                {
                    Parallel.For(0, _chunks, RunChunk);
                }
            }
        }
        finally
        {
            _inputs = null;
            _loss = null!;
        }

        double total = 0.0;
        for (int c = 0; c < _chunks; c++)
        {
            total += _chunkLosses[c * CachePad];
            TensorPrimitives.Add(gradient, _chunkGradients[c].AsSpan(0, GradientLength), gradient);
        }

        return total;
    }

    public void RunChunk(int chunk)
    {
        int from = (int)((long)_count * chunk / _chunks), to = (int)((long)_count * (chunk + 1) / _chunks);
        var inputs = new ReadOnlySpan<double>(_inputs + (long)from * _inputCount, (to - from) * _inputCount);
        Span<double> gradient = _chunkGradients[chunk].AsSpan(0, GradientLength);
        gradient.Clear();
        _chunkLosses[chunk * CachePad] = _kernel.InputDerivativeLossGradient(inputs, from, to - from, _second, _loss, _parameters, _knots, _masks, gradient);
    }

    /// <summary>Samples × parameters below which the chunks run on the caller's thread (the thread pool costs more).</summary>
    private const long SerialWork = 1 << 16;
}
