using System.Diagnostics;
using KanCompile.Compilation;
using KanCompile.Symbolic;

namespace KanCompile.Benchmarks;

/// <summary>The quick-start's [2,5,1] G = 3 model, generated for grids 3, 10 and 20 as in samples/QuickStart.</summary>
[KanModel(2, 5, 1, GridSize = 3, SplineOrder = 3, GridExtensions = new[] { 10, 20 })]
public partial class QuickStartKan { }

/// <summary>
/// <c>profile workflow</c>: pykan's quick-start phases in this process, each with its wall and CPU time and the
/// kernels compiled during it, so a first run shows where the seconds go (compiling, JIT, computing).
/// </summary>
public static class WorkflowProfile
{
    public static void Run()
    {
        var total = Stopwatch.StartNew();
        TimeSpan cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        KanDataset dataset = null!;
        KanModel model = null!;
        KanNetwork pruned = null!;
        Phase("dataset + model", () =>
        {
            dataset = KanDataset.FromFunction(x => Math.Exp(Math.Sin(Math.PI * x[0]) + x[1] * x[1]), inputCount: 2);
            model = new QuickStartKan();
        });
        Phase("fit 50 (lamb 1e-3)", () => model.Fit(dataset, new FitOptions { Steps = 50, Lambda = 1e-3 }));
        if (System.Environment.GetEnvironmentVariable("KAN_PROFILE_TWICE") == "1")
        {
            Phase("fit 50 again (new model)", () => new QuickStartKan().Fit(dataset, new FitOptions { Steps = 50, Lambda = 1e-3 }));
        }

        Phase("prune", () => pruned = model.Prune());
        Phase("fit 50", () => pruned.Fit(dataset, new FitOptions { Steps = 50 }));
        Phase("refine 10", () => pruned.Refine(10));
        Phase("fit 50", () => pruned.Fit(dataset, new FitOptions { Steps = 50 }));
        var library = SymbolicLibrary.Create("x", "x^2", "x^3", "x^4", "exp", "log", "sqrt", "tanh", "sin", "abs");
        Phase("auto_symbolic", () => pruned.AutoSymbolic(library));
        FitResult last = null!;
        Phase("fit 50 (Levenberg–Marquardt)", () => last = pruned.Fit(dataset, new FitOptions { Steps = 50, Optimizer = KanOptimizer.LevenbergMarquardt }));
        Console.WriteLine($"  {last.ExitReason} after {last.Steps} steps");
        Phase("formula", () => pruned.SymbolicFormula(["x1", "x2"], roundDigits: 4));
        Console.WriteLine($"total {total.Elapsed.TotalSeconds:F2} s wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds:F2} s CPU; final fit's test RMSE {last.TestRmse[^1]:E2}; formula {pruned.SymbolicFormula(["x1", "x2"], roundDigits: 4).ToText()}");
    }

    private static void Phase(string name, Action action)
    {
        int compiled = KernelCompiler.CompiledCount;
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        action();
        watch.Stop();
        Console.WriteLine($"{name,-22} {watch.Elapsed.TotalSeconds,7:F3} s wall {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds,7:F3} s CPU, kernels compiled {KernelCompiler.CompiledCount - compiled}");
    }
}
