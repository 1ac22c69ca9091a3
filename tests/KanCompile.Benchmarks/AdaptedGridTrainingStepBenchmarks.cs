using BenchmarkDotNet.Attributes;

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
    private AdamStepFixture _step = null!;

    [ParamsSource(nameof(Configs))]
    public BenchmarkConfig Config { get; set; } = null!;

    public static IEnumerable<BenchmarkConfig> Configs() => BenchmarkConfig.All;

    [GlobalSetup]
    public void Setup() => _step = new AdamStepFixture(Config.Create(), Config.Batch, adaptGrid: true);

    [GlobalCleanup]
    public void Cleanup() => _step.Dispose();

    [Benchmark(Description = "Adam training step on an adapted (non-uniform) grid")]
    public bool Step() => _step.Step();
}
