using BenchmarkDotNet.Attributes;
using KanCompile;

namespace KanCompile.Benchmarks;

/// <summary>
/// The training step of a regularised fit (pykan's λ = 1e-3 recipe, no grid update): every evaluation gathers the batch
/// statistics of every edge and node first (the regulariser's std(φ)/(std(x)+0.1)), then the loss and gradient with the
/// statistic terms. Beside <see cref="TrainingStepBenchmarks"/> (λ = 0) it shows what the regulariser costs.
/// </summary>
[MemoryDiagnoser]
public class RegularizedStepBenchmarks
{
    private AdamStepFixture _step = null!;

    [ParamsSource(nameof(Configs))]
    public BenchmarkConfig Config { get; set; } = null!;

    public static IEnumerable<BenchmarkConfig> Configs() => BenchmarkConfig.All;

    [GlobalSetup]
    public void Setup() => _step = new AdamStepFixture(Config.Create(), Config.Batch, lambda: 1e-3);

    [GlobalCleanup]
    public void Cleanup() => _step.Dispose();

    [Benchmark(Description = "Adam training step with the regulariser (statistics + loss + gradient + update)")]
    public bool Step() => _step.Step();

    [Benchmark(Description = "Regulariser alone (batch statistics on all cores + value)")]
    public double Regularization() => _step.Regularization();
}
