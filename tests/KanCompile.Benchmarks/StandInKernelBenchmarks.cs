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
        _kernel = Kernel == "compiled" ? _model.Kernel : RuntimeShapedKernel.Create(_model.Architecture.KernelSpecFor(_model.GridSize));
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
        _kernel = Kernel == "compiled" ? _model.Kernel : RuntimeShapedKernel.Create(_model.Architecture.KernelSpecFor(_model.GridSize));

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
