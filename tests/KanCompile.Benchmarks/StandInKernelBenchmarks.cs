using BenchmarkDotNet.Attributes;
using KanCompile.Compilation;

namespace KanCompile.Benchmarks;

/// <summary>
/// The batch loss gradient (one thread, the bulk of a training step) on the compiled kernel and on the run-time-shaped
/// kernel that stands in while it compiles (<see cref="RuntimeShapedKernel"/>): what a step costs before the compile
/// finishes. The two give the same bits.
/// dotnet run -c Release --project tests/KanCompile.Benchmarks -- --filter '*StandInKernel*' --job short
/// </summary>
[MemoryDiagnoser]
public class StandInKernelBenchmarks
{
    private KanModel _model = null!;
    private KanKernel _kernel = null!;
    private double[] _inputs = null!, _labels = null!, _gradient = null!;

    [ParamsSource(nameof(Configs))]
    public BenchmarkConfig Config { get; set; } = null!;

    [Params("compiled", "stand-in")]
    public string Kernel { get; set; } = "compiled";

    public static IEnumerable<BenchmarkConfig> Configs() => BenchmarkConfig.All;

    [GlobalSetup]
    public void Setup()
    {
        _model = Config.Create();
        _kernel = Kernel == "compiled" ? _model.Kernel : new RuntimeShapedKernel(_model.Architecture.KernelSpecFor(_model.GridSize));
        (_inputs, _labels) = BenchmarkData.Create(_model.InputCount, Config.Batch);
        _gradient = new double[_model.ParameterCount];
    }

    [Benchmark(Description = "batch squared-error gradient, 1 thread")]
    public double Gradient()
    {
        Array.Clear(_gradient);
        return _kernel.SquaredErrorGradientBatch(_inputs, _labels, Config.Batch, 1.0 / Config.Batch, _model.ParameterBuffer, _model.KnotTable, _model.MaskBuffer, _gradient, default);
    }
}
