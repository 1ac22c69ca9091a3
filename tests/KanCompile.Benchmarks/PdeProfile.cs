using System.Diagnostics;

namespace KanCompile.Benchmarks;

/// <summary>
/// Fixed work for profilers and <c>perf stat</c>: <c>profile pde [tutorial|paper] [evaluations] [threads]</c> runs PDE loss
/// and gradient evaluations (<see cref="PdeStepBenchmarks"/>'s setup) and prints wall and CPU time per evaluation.
/// </summary>
public static class PdeProfile
{
    public static void Run(string[] args)
    {
        var benchmark = new PdeStepBenchmarks
        {
            Problem = args.Length > 2 && args[2] == "tutorial" ? "tutorial [2,2,1] G=5, 51x51 mesh + 204 boundary" : "paper [2,10,1] G=10, 10000 random + 800 boundary",
        };
        int evaluations = args.Length > 3 ? int.Parse(args[3]) : 200;
        int threads = args.Length > 4 ? int.Parse(args[4]) : Environment.ProcessorCount;
        benchmark.Setup(threads);
        for (int warm = 0; warm < 10; warm++)
        {
            benchmark.LossAndGradient();
        }

        var process = Process.GetCurrentProcess();
        TimeSpan cpu = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        for (int e = 0; e < evaluations; e++)
        {
            benchmark.LossAndGradient();
        }

        process.Refresh();
        Console.WriteLine($"{benchmark.Problem}, {threads} thread(s): {wall.Elapsed.TotalMilliseconds / evaluations:F3} ms wall, {(process.TotalProcessorTime - cpu).TotalMilliseconds / evaluations:F3} ms CPU per evaluation");
        benchmark.Cleanup();
    }
}
