using BenchmarkDotNet.Attributes;
using KanCompile.Compilation;

namespace KanCompile.Benchmarks;

/// <summary>
/// The batch loss gradient (one thread, the bulk of a training step), Backward sample by sample (what a
/// Levenberg–Marquardt step runs) and the symbolic batch gradient (a fit with symbolic edges) on the compiled kernel and
/// on the run-time-shaped kernel that stands in while it compiles (<see cref="RuntimeShapedKernel"/>): what a step costs
/// before the compile finishes. The two give the same bits.
/// dotnet run -c Release --project tests/KanCompile.Benchmarks -- --filter '*StandInKernel*' --job short
/// </summary>
[MemoryDiagnoser]
public class StandInKernelBenchmarks
{
    private KanModel _model = null!;
    private KanKernel _kernel = null!;
    private double[] _inputs = null!, _labels = null!, _gradient = null!, _affineGradient = null!;
    private double[] _symbolicMasks = null!, _affine = null!;
    private int[] _functionIds = null!;

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

        // Every third edge gets a symbolic branch beside its spline (sin, exp, x^2 in turn), as mid-way through a formula search.
        int edges = _model.MaskBuffer.Length;
        string[] names = ["sin", "exp", "x^2"];
        _symbolicMasks = Enumerable.Range(0, edges).Select(e => e % 3 == 0 ? 1.0 : 0.0).ToArray();
        _functionIds = Enumerable.Range(0, edges).Select(e => SymbolicDispatch.IdOf(Symbolic.SymbolicLibrary.Default.Get(names[e / 3 % 3]))).ToArray();
        _affine = Enumerable.Range(0, edges * SymbolicEdgeSpans.AffinePerEdge).Select(i => (i % 4) switch { 0 => 0.8, 1 => 0.1, 2 => 0.5, _ => -0.2 }).ToArray();
        _affineGradient = new double[_affine.Length];
    }

    [Benchmark(Description = "batch squared-error gradient, 1 thread")]
    public double Gradient()
    {
        Array.Clear(_gradient);
        return _kernel.SquaredErrorGradientBatch(_inputs, _labels, Config.Batch, 1.0 / Config.Batch, _model.ParameterBuffer, _model.KnotTable, _model.MaskBuffer, _gradient, default);
    }

    [Benchmark(Description = "Backward per sample over the batch, 1 thread")]
    public double Backward()
    {
        Array.Clear(_gradient);
        double sum = 0.0;
        int inputs = _model.InputCount;
        for (int s = 0; s < Config.Batch; s++)
        {
            sum += _kernel.Backward(_inputs.AsSpan(s * inputs, inputs), _labels.AsSpan(s, 1), true, 1.0 / Config.Batch, _model.ParameterBuffer, _model.KnotTable, _model.MaskBuffer, _gradient, default, default);
        }

        return sum;
    }

    [Benchmark(Description = "batch squared-error gradient with symbolic edges, 1 thread")]
    public double SymbolicGradient()
    {
        Array.Clear(_gradient);
        Array.Clear(_affineGradient);
        var symbolic = new SymbolicEdgeSpans(_symbolicMasks, _functionIds, _affine);
        return _kernel.SquaredErrorGradientBatchSymbolic(_inputs, _labels, Config.Batch, 1.0 / Config.Batch, _model.ParameterBuffer, _model.KnotTable, _model.MaskBuffer, in symbolic, _gradient, _affineGradient, default);
    }
}
