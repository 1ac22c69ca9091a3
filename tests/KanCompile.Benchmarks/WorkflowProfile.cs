using System.Diagnostics;
using KanCompile.Compilation;

namespace KanCompile.Benchmarks;

/// <summary>
/// <c>profile workflow</c>: pykan's quick-start phases (<see cref="QuickStartWorkflow"/>) in this process, each with
/// its wall and CPU time and the kernels compiled during it, so a first run shows where the seconds go (compiling,
/// JIT, computing).
/// </summary>
public static class WorkflowProfile
{
    public static void Run()
    {
        var total = Stopwatch.StartNew();
        TimeSpan cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        var workflow = new QuickStartWorkflow();
        foreach (var (name, pykan, run) in workflow.Phases)
        {
            int compiled = KernelCompiler.CompiledCount;
            TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            run();
            watch.Stop();
            Console.WriteLine($"{name,-38} {watch.Elapsed.TotalSeconds,7:F3} s wall {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds,7:F3} s CPU, kernels compiled {KernelCompiler.CompiledCount - compiled} (pykan {pykan:F1} s)");
        }

        Console.WriteLine($"  last fit: {workflow.LastFit.ExitReason} after {workflow.LastFit.Steps} steps; train RMSE by step {string.Join(' ', workflow.LastFit.TrainRmse.Select(r => r.ToString("E2")))}");
        Console.WriteLine($"total {total.Elapsed.TotalSeconds:F2} s wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds:F2} s CPU (pykan {QuickStartWorkflow.PykanTotalSeconds} s); "
            + $"final fit's test RMSE {workflow.LastFit.TestRmse[^1]:E2}; formula {workflow.Formula.ToText()}, its test RMSE {workflow.FormulaTestRmse():E2}");
    }
}
