using KanCompile.Pde;

namespace KanCompile.Samples.Pde;

/// <summary>The paper's [2,10,1], declared with the grids it is extended to (compiled with the sample, nothing compiles at run time).</summary>
[KanModel(2, 10, 1, GridSize = 5, GridExtensions = new[] { 10, 20 })]
public partial class PoissonKan { }

/// <summary>
/// The KAN paper's §3.4: Δu = f on [−1, 1]², u* = sin(πx)·sin(πy²), u = 0 on the boundary; 10,000 random interior points and
/// 800 on the boundary, loss 0.01·interior + boundary, a [2,10,1] KAN with grid extension. The paper reports ~1e-7 squared
/// L2 error (a 4-layer width-100 MLP ~1e-5). Here: 50 L-BFGS steps on G = 5 (grid re-fitted at steps 0, 5, 10, 15), then
/// Levenberg–Marquardt (Gauss–Newton on the residuals: each point's residual row comes from the same exact derivative pass
/// and its adjoint) on G = 10 and G = 20. Errors are measured on a 101 × 101 mesh.
/// </summary>
internal static class PaperPoisson
{
    public static void Run(string output)
    {
        Poisson poisson = Poisson.Paper;
        Console.WriteLine($"KAN paper §3.4: Δu = f on [-1, 1]², u* = {poisson.Name}, [2,10,1], 10,000 + 800 random points, α = 0.01");
        PdeProblem problem = poisson.Problem(Collocation.Uniform(Poisson.Square, 10_000, seed: 1), Collocation.BoundaryUniform(Poisson.Square, 200, seed: 2));
        PdePoints test = Collocation.Mesh(Poisson.Square, 101);
        var clock = new PhaseClock();
        var model = new PoissonKan(seed: 1);
        Report("G = 5, 50 L-BFGS steps", model.FitPde(problem, new PdeFitOptions { Steps = 50 }));
        model.Refine(10);
        Report("G = 10, 2 Levenberg–Marquardt steps", model.FitPde(problem, new PdeFitOptions { Steps = 2, Optimizer = KanOptimizer.LevenbergMarquardt, UpdateGrid = false }));
        model.Refine(20);
        Report("G = 20, 2 Levenberg–Marquardt steps", model.FitPde(problem, new PdeFitOptions { Steps = 2, Optimizer = KanOptimizer.LevenbergMarquardt, UpdateGrid = false }));
        Console.WriteLine($"  total {clock.Total.TotalSeconds:F1} s wall; paper: ~1e-7 L2² for this KAN, ~1e-5 for a 4-layer width-100 MLP");
        SolutionPlot.Write(Path.Combine(output, "paper-poisson.png"), "KAN paper §3.4, [2,10,1] G = 20", model, Poisson.Square, poisson.Solution);

        void Report(string phase, PdeFitResult result)
        {
            var error = PdeSolutionError.Measure(model, test, poisson.Solution, poisson.Gradient);
            Console.WriteLine($"  {phase,-38} loss {result.Loss[^1]:E2} | L2² {error.L2Squared:E2} | H1² {error.H1Squared:E2} | relative L2 {error.RelativeL2:E2}   {clock.Lap()}");
        }
    }
}
