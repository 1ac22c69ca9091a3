using BenchmarkDotNet.Attributes;
using KanCompile;

namespace KanCompile.Benchmarks;

/// <summary>
/// Forward + backward over a whole batch on one thread (the kernel's batch path), per configuration:
/// the compute part of a training step, without the optimiser or multi-core split.
/// </summary>
[MemoryDiagnoser]
public class GradientBenchmarks
{
    private KanModel _model = null!;
    private double[] _inputs = null!, _labels = null!, _gradient = null!, _outputs = null!;

    [ParamsSource(nameof(Configs))]
    public BenchmarkConfig Config { get; set; } = null!;

    public static IEnumerable<BenchmarkConfig> Configs() => BenchmarkConfig.All;

    [GlobalSetup]
    public void Setup()
    {
        _model = Config.Create();
        (_inputs, _labels) = BenchmarkData.Create(_model.InputCount, Config.Batch);
        _gradient = new double[_model.ParameterCount];
        _outputs = new double[Config.Batch * _model.OutputCount];
    }

    [Benchmark(Description = "batch forward+backward, 1 thread")]
    public double ForwardBackward()
    {
        Array.Clear(_gradient);
        return _model.Kernel.SquaredErrorGradientBatch(_inputs, _labels, Config.Batch, 1.0 / Config.Batch, _model.ParameterBuffer, _model.KnotTable, _model.MaskBuffer, _gradient, default);
    }

    [Benchmark(Description = "batch forward, 1 thread")]
    public double Forward()
    {
        _model.Kernel.ForwardBatch(_inputs, _outputs, Config.Batch, _model.ParameterBuffer, _model.KnotTable, _model.MaskBuffer);
        return _outputs[0];
    }
}
