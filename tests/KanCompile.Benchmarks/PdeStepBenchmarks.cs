using BenchmarkDotNet.Attributes;
using KanCompile;
using KanCompile.Pde;
using KanCompile.Training;

namespace KanCompile.Benchmarks;

[KanModel(2, 2, 1, GridSize = 5)]
public partial class PdeTutorial221 { }

[KanModel(2, 10, 1, GridSize = 10)]
public partial class PdePaper2x10x1 { }

/// <summary>
/// One PDE training evaluation as FitPde runs it: the Poisson residual loss α·mean(Δu − f)² + mean(u − g)² and its
/// parameter gradient over the whole collocation set (exact second input derivatives and the adjoint of the derivative
/// pass, on all cores). pykan's tutorial spends one L-BFGS step (up to 20 iterations) on about 25 of these.
/// </summary>
[MemoryDiagnoser]
public class PdeStepBenchmarks
{
    private ChunkWorkers _workers = null!;
    private PdeObjective _objective = null!;
    private double[] _gradient = null!;

    [Params("tutorial [2,2,1] G=5, 51x51 mesh + 204 boundary", "paper [2,10,1] G=10, 10000 random + 800 boundary")]
    public string Problem { get; set; } = "";

    [GlobalSetup]
    public void Setup() => Setup(Environment.ProcessorCount);

    /// <summary>The setup with a given number of loss threads (profiles use one for instruction counts).</summary>
    public void Setup(int threads)
    {
        bool tutorial = Problem.StartsWith("tutorial", StringComparison.Ordinal);
        var domain = PdeDomain.Cube(2, -1, 1);
        PdePoints interior = tutorial ? Collocation.Mesh(domain, 51) : Collocation.Uniform(domain, 10_000, 1);
        PdePoints boundary = tutorial ? Collocation.BoundaryMesh(domain, 51) : Collocation.BoundaryUniform(domain, 200, 2);
        var source = new double[interior.Count];
        for (int p = 0; p < source.Length; p++)
        {
            double x = interior[p][0], y = interior[p][1];
            source[p] = tutorial
                ? -2 * Math.PI * Math.PI * Math.Sin(Math.PI * x) * Math.Sin(Math.PI * y)
                : Math.Sin(Math.PI * x) * (-Math.PI * Math.PI * (1 + 4 * y * y) * Math.Sin(Math.PI * y * y) + 2 * Math.PI * Math.Cos(Math.PI * y * y));
        }

        var problem = new PdeProblem(
            domain,
            PdeTerm.Interior(interior, (in PdePoint p) => p.Uxx(0) + p.Uxx(1) - source[p.Index], 0.01, (in PdePoint p, PdeSensitivity s) =>
            {
                s.SetUxx(0, 1.0);
                s.SetUxx(1, 1.0);
            }),
            PdeTerm.Dirichlet(boundary, _ => 0.0));
        KanModel model = tutorial ? new PdeTutorial221(1) : new PdePaper2x10x1(1);
        _workers = new ChunkWorkers(threads);
        _objective = new PdeObjective(model, new PdeLoss(problem, 1), _workers, model.ParameterBuffer, default);
        _gradient = new double[model.ParameterCount];
    }

    [GlobalCleanup]
    public void Cleanup() => _workers.Dispose();

    [Benchmark(Description = "PDE loss + gradient over the collocation set (all cores)")]
    public bool LossAndGradient() => _objective.TryEvaluate(_gradient, out _);
}
