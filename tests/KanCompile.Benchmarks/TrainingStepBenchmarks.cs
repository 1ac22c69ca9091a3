using BenchmarkDotNet.Attributes;
using KanCompile;
using KanCompile.Training;
using KanCompile.Training.Optimizers;

namespace KanCompile.Benchmarks;

/// <summary>
/// One training step exactly as Fit runs it: the full-batch MSE loss and gradient on all cores (fixed
/// chunks, per-chunk gradient buffers, ordered reduction), then one Adam update — the step the peers were
/// timed on (shared/reference/anchors.md: efficient-kan 3.22 ms / 103 ms / 108 ms). Generated kernels and
/// KanNetwork's reference engine side by side.
/// </summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks
{
    private KanModel _model = null!;
    private ChunkWorkers _workers = null!;
    private KanObjective _objective = null!;
    private AdamOptimizer _adam = null!;

    [ParamsSource(nameof(Configs))]
    public BenchmarkConfig Config { get; set; } = null!;

    [Params("generated", "reference")]
    public string Engine { get; set; } = "generated";

    public static IEnumerable<BenchmarkConfig> Configs() => BenchmarkConfig.All;

    [GlobalSetup]
    public void Setup()
    {
        KanModel generated = Config.Create();
        _model = Engine == "generated"
            ? generated
            : new KanNetwork(generated.Architecture, generated.Seed, KanEngine.Reference);
        (double[] inputs, double[] labels) = BenchmarkData.Create(_model.InputCount, Config.Batch);
        var options = new FitOptions { Optimizer = KanOptimizer.Adam, LearningRate = 1e-3, UpdateGrid = false };
        _workers = new ChunkWorkers(Environment.ProcessorCount);
        _objective = new KanObjective(_model, _workers, 16, 1, options, CancellationToken.None);
        _objective.SetBatch(inputs, labels, Config.Batch);
        _adam = new AdamOptimizer(_model.ParameterCount, options.LearningRate);
    }

    [GlobalCleanup]
    public void Cleanup() => _workers.Dispose();

    [Benchmark(Description = "Adam training step (loss + gradient on all cores + update)")]
    public bool Step() => _adam.Step(_model.Parameters, _objective);
}
