using BenchmarkDotNet.Attributes;
using KanCompile;

namespace KanCompile.Benchmarks;

/// <summary>
/// One training step exactly as Fit runs it (<see cref="AdamStepFixture"/>) — the step the peers were timed on
/// (shared/reference/anchors.md: efficient-kan 3.22 ms / 103 ms / 108 ms). Generated kernels and KanNetwork's
/// reference engine side by side.
/// </summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks
{
    private AdamStepFixture _step = null!;

    [ParamsSource(nameof(Configs))]
    public BenchmarkConfig Config { get; set; } = null!;

    [Params("generated", "reference")]
    public string Engine { get; set; } = "generated";

    public static IEnumerable<BenchmarkConfig> Configs() => BenchmarkConfig.All;

    [GlobalSetup]
    public void Setup()
    {
        KanModel generated = Config.Create();
        KanModel model = Engine == "generated"
            ? generated
            : new KanNetwork(generated.Architecture, generated.Seed, KanEngine.Reference);
        _step = new AdamStepFixture(model, Config.Batch);
    }

    [GlobalCleanup]
    public void Cleanup() => _step.Dispose();

    [Benchmark(Description = "Adam training step (loss + gradient on all cores + update)")]
    public bool Step() => _step.Step();
}
