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

/// <summary>
/// The PDE loss gradient through the input derivatives (one thread, what FitPde's steps spend their time on) on the
/// compiled kernel and on the stand-in: what a PDE step costs before the compile finishes. The two give the same bits.
/// dotnet run -c Release --project tests/KanCompile.Benchmarks -- --filter '*StandInKernelInputDerivative*' --job short
/// </summary>
[MemoryDiagnoser]
public class StandInKernelInputDerivativeBenchmarks
{
    private KanModel _model = null!;
    private KanKernel _kernel = null!;
    private Pde.PdeLoss _loss = null!;
    private double[] _gradient = null!;

    [Params("tutorial [2,2,1] G=5", "paper [2,10,1] G=10")]
    public string Shape { get; set; } = "";

    [Params("compiled", "stand-in")]
    public string Kernel { get; set; } = "compiled";

    [GlobalSetup]
    public void Setup()
    {
        _model = Shape.StartsWith("tutorial", StringComparison.Ordinal) ? new PdeTutorial221(1) : new PdePaper2x10x1(1);
        _kernel = Kernel == "compiled" ? _model.Kernel : new RuntimeShapedKernel(_model.Architecture.KernelSpecFor(_model.GridSize));

        // Δu = −2π² sin(πx) sin(πy) on a 21 × 21 mesh, u = 0 on 80 boundary points.
        var domain = Pde.PdeDomain.Cube(2, -1, 1);
        var problem = new Pde.PdeProblem(
            domain,
            Pde.PdeTerm.Interior(Pde.Collocation.Mesh(domain, 21), (in Pde.PdePoint p) => p.Laplacian + 2 * Math.PI * Math.PI * Math.Sin(Math.PI * p.X[0]) * Math.Sin(Math.PI * p.X[1]), 0.01),
            Pde.PdeTerm.Dirichlet(Pde.Collocation.BoundaryMesh(domain, 21), _ => 0.0));
        _loss = new Pde.PdeLoss(problem, 1);
        _gradient = new double[_model.ParameterCount];
    }

    [Benchmark(Description = "PDE loss gradient through the input derivatives, 1 thread")]
    public double Gradient()
    {
        Array.Clear(_gradient);
        return _kernel.InputDerivativeLossGradient(_loss.Inputs, 0, _loss.Count, _loss.Second, _loss, _model.ParameterBuffer, _model.KnotTable, _model.MaskBuffer, _gradient);
    }
}
