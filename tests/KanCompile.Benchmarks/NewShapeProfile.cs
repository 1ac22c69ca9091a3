using System.Diagnostics;
using KanCompile.Pde;

namespace KanCompile.Benchmarks;

/// <summary>
/// What a user feels on a shape that is neither built in nor compiled yet: <c>profile newshape [fit|lm|symbolic|pde|mult|smooth|k5|smoothk5]
/// [standin|wait]</c> runs one short workflow on such a shape and prints when the model existed, when the first step was
/// reported, when the workflow ended, the process's CPU time and the final loss (the same bits in both modes).
/// <c>wait</c> sets the <c>KanCompile.DisableStandInKernel</c> switch, so the workflow waits for Roslyn as it did before
/// the stand-in. Run each in a fresh process with an empty kernel cache
/// (<c>KANCOMPILE_KERNEL_CACHE=$(mktemp -d)</c>), or the cached kernel is loaded and neither mode stands in.
/// </summary>
public static class NewShapeProfile
{
    public static void Run(string[] args)
    {
        string workflow = args.Length > 2 ? args[2] : "fit";
        bool wait = args.Length > 3 && args[3] == "wait";
        if (wait)
        {
            AppContext.SetSwitch("KanCompile.DisableStandInKernel", true);
        }

        var clock = Stopwatch.StartNew();
        double firstStep = double.NaN;
        void Stepped()
        {
            if (double.IsNaN(firstStep))
            {
                firstStep = clock.Elapsed.TotalSeconds;
            }
        }

        // Shapes no built-in kernel has (PregeneratedKernels), so each process meets them for the first time.
        double loss;
        double created;
        if (workflow == "pde")
        {
            var domain = PdeDomain.Cube(2, -1, 1);
            var problem = new PdeProblem(
                domain,
                PdeTerm.Interior(Collocation.Mesh(domain, 21), (in PdePoint p) => p.Laplacian + 2 * Math.PI * Math.PI * Math.Sin(Math.PI * p.X[0]) * Math.Sin(Math.PI * p.X[1]), 0.01),
                PdeTerm.Dirichlet(Collocation.BoundaryMesh(domain, 21), _ => 0.0));
            var model = new KanNetwork([2, 7, 1], gridSize: 6, seed: 1);
            created = clock.Elapsed.TotalSeconds;
            loss = model.FitPde(problem, new PdeFitOptions { Steps = 10 }, new Reporter<PdeFitProgress>(Stepped)).Loss[^1];
        }
        else
        {
            var data = KanDataset.FromFunction(x => Math.Sin(Math.PI * x[0]) + (x[1] * x[2]), 3, trainCount: 500, testCount: 100, seed: 2);
            // mult: a MultKAN with one product of two sub-nodes beside three sums, [3,[3,1],1]; smooth: the fit's shape with
            // splines continued beyond the grid (KanBeyondGrid.Smooth); k5: the fit's shape with quintic splines; smoothk5: both.
            var model = workflow switch
            {
                "mult" => new KanNetwork([3, 3, 1], gridSize: 7, seed: 1, multiplicationNodes: [0, 1, 0]),
                "smooth" => new KanNetwork([3, 6, 1], gridSize: 7, seed: 1, beyondGrid: KanBeyondGrid.Smooth),
                "k5" => new KanNetwork([3, 6, 1], gridSize: 7, splineOrder: 5, seed: 1),
                "smoothk5" => new KanNetwork([3, 6, 1], gridSize: 7, splineOrder: 5, seed: 1, beyondGrid: KanBeyondGrid.Smooth),
                _ => new KanNetwork([3, 6, 1], gridSize: 7, seed: 1),
            };
            created = clock.Elapsed.TotalSeconds;
            var progress = new Reporter<FitProgress>(Stepped);
            FitResult result = workflow switch
            {
                "lm" => model.Fit(data, new FitOptions { Steps = 10, Optimizer = KanOptimizer.LevenbergMarquardt, Lambda = 0 }, progress),
                "symbolic" => Symbolic(model, data, progress),
                _ => model.Fit(data, new FitOptions { Steps = 20 }, progress),
            };
            loss = result.TrainLoss[^1];
        }

        double total = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"{workflow}, {(wait ? "waiting for the compile" : "stand-in")}: model {created:F2} s, first step {firstStep:F2} s, done {total:F2} s, CPU {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:F2} s, loss {loss:R}");
    }

    /// <summary>A short fit, pykan's one-shot snap of every edge, and a fit of the symbolic model's affine parameters.</summary>
    private static FitResult Symbolic(KanModel model, KanDataset data, IProgress<FitProgress> progress)
    {
        model.Fit(data, new FitOptions { Steps = 10 }, progress);
        model.AutoSymbolic();
        return model.Fit(data, new FitOptions { Steps = 10, UpdateGrid = false }, progress);
    }

    private sealed class Reporter<T>(Action onStep) : IProgress<T>
    {
        public void Report(T value) => onStep();
    }
}
