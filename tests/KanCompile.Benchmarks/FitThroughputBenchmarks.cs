using BenchmarkDotNet.Attributes;
using KanCompile;

namespace KanCompile.Benchmarks;

/// <summary>
/// A training step through the public API: <c>model.Fit</c> with Adam, full batch, no grid update, λ = 0 and a one-row
/// test split, per step (every step still reports train and test RMSE and the regulariser on the last step). Beside
/// <see cref="TrainingStepBenchmarks"/> (the isolated step) it shows what Fit adds per step.
/// </summary>
[MemoryDiagnoser]
public class FitThroughputBenchmarks
{
    private const int Steps = 50;

    private KanModel _model = null!;
    private KanDataset _data = null!;
    private FitOptions _options = null!;

    [ParamsSource(nameof(Configs))]
    public BenchmarkConfig Config { get; set; } = null!;

    public static IEnumerable<BenchmarkConfig> Configs() => BenchmarkConfig.All;

    [GlobalSetup]
    public void Setup()
    {
        _model = Config.Create();
        _data = FitData(_model, Config.Batch);
        _options = Options(Steps);
    }

    /// <summary>The Fit-API measurement: Adam (the isolated step's learning rate), no grid update, λ = 0.</summary>
    public static FitOptions Options(int steps) =>
        new FitOptions { Steps = steps, Optimizer = KanOptimizer.Adam, LearningRate = 1e-3, UpdateGrid = false, Lambda = 0 };

    /// <summary>The benchmark batch as training rows and its first row as the test split.</summary>
    public static KanDataset FitData(KanModel model, int batch)
    {
        (double[] inputs, double[] labels) = BenchmarkData.Create(model.InputCount, batch);
        return new KanDataset(inputs, labels, inputs.AsSpan(0, model.InputCount).ToArray(), labels.AsSpan(0, 1).ToArray(), model.InputCount, 1);
    }

    [Benchmark(Description = "Fit, Adam, full batch: time per step", OperationsPerInvoke = Steps)]
    public FitResult FitSteps() => _model.Fit(_data, _options);
}
