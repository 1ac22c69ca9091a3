using KanCompile;
using KanCompile.Training;
using KanCompile.Training.Optimizers;

namespace KanCompile.Benchmarks;

/// <summary>
/// One training step exactly as Fit runs it, set up once: the full-batch MSE loss and gradient on all cores (fixed
/// chunks, per-chunk gradient buffers, ordered reduction), then one Adam update. Shared by the training-step benchmarks.
/// </summary>
public sealed class AdamStepFixture : IDisposable
{
    private readonly KanModel _model;
    private readonly ChunkWorkers _workers;
    private readonly KanObjective _objective;
    private readonly AdamOptimizer _adam;

    /// <param name="model">The model to train (its parameters move with every step).</param>
    /// <param name="batch">Samples per step (deterministic data, <see cref="BenchmarkData"/>).</param>
    /// <param name="adaptGrid">Re-grid every layer from the batch first (pykan's update_grid_from_samples).</param>
    /// <param name="threads">Threads of the step (all cores unless given).</param>
    /// <param name="lambda">λ of pykan's regulariser (its defaults otherwise); above 0 every step gathers the batch statistics first.</param>
    public AdamStepFixture(KanModel model, int batch, bool adaptGrid = false, int? threads = null, double lambda = 0.0)
    {
        _model = model;
        (Inputs, Labels) = BenchmarkData.Create(model.InputCount, batch);
        if (adaptGrid)
        {
            model.UpdateGrid(Inputs);
        }

        var options = new FitOptions { Optimizer = KanOptimizer.Adam, LearningRate = 1e-3, UpdateGrid = false, Lambda = lambda };
        _workers = new ChunkWorkers(threads ?? Environment.ProcessorCount);
        _objective = new KanObjective(model, _workers, 16, 1, options, CancellationToken.None) { ComputeRegularization = lambda > 0 };
        _objective.SetBatch(Inputs, Labels, batch);
        _adam = new AdamOptimizer(model.ParameterCount, options.LearningRate);
    }

    /// <summary>The batch the step trains on (row-major inputs).</summary>
    public double[] Inputs { get; }

    public double[] Labels { get; }

    public bool Step() => _adam.Step(_model.Parameters, _objective);

    /// <summary>The regulariser alone at the current parameters: the batch statistics pass and the value (no gradient).</summary>
    public double Regularization() => _objective.MeasureRegularization();

    public void Dispose() => _workers.Dispose();
}
