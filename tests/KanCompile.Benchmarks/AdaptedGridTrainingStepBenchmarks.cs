using BenchmarkDotNet.Attributes;
using KanCompile;
using KanCompile.Training;
using KanCompile.Training.Optimizers;

namespace KanCompile.Benchmarks;

/// <summary>
/// <see cref="TrainingStepBenchmarks"/>' step after the grid has been adapted to the batch (pykan's
/// update_grid_from_samples, grid_eps 0.02, as Fit does in its first steps with UpdateGrid). The knots are then no
/// longer equally spaced, so the gradient pass finds every basis window by its interval search and polynomial table
/// instead of the lattice path the initial grid takes: this is the speed of training after a grid update.
/// </summary>
[MemoryDiagnoser]
public class AdaptedGridTrainingStepBenchmarks
{
    private KanModel _model = null!;
    private ChunkWorkers _workers = null!;
    private KanObjective _objective = null!;
    private AdamOptimizer _adam = null!;

    [ParamsSource(nameof(Configs))]
    public BenchmarkConfig Config { get; set; } = null!;

    public static IEnumerable<BenchmarkConfig> Configs() => BenchmarkConfig.All;

    [GlobalSetup]
    public void Setup()
    {
        _model = Config.Create();
        (double[] inputs, double[] labels) = BenchmarkData.Create(_model.InputCount, Config.Batch);
        _model.UpdateGrid(inputs);
        var options = new FitOptions { Optimizer = KanOptimizer.Adam, LearningRate = 1e-3, UpdateGrid = false };
        _workers = new ChunkWorkers(Environment.ProcessorCount);
        _objective = new KanObjective(_model, _workers, 16, 1, options, CancellationToken.None);
        _objective.SetBatch(inputs, labels, Config.Batch);
        _adam = new AdamOptimizer(_model.ParameterCount, options.LearningRate);
    }

    [GlobalCleanup]
    public void Cleanup() => _workers.Dispose();

    [Benchmark(Description = "Adam training step on an adapted (non-uniform) grid")]
    public bool Step() => _adam.Step(_model.Parameters, _objective);
}
