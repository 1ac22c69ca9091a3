using System.Diagnostics;

namespace KanCompile.Benchmarks;

/// <summary>
/// <c>profile reg [config 0-2] [rounds] [steps] [threads] [all|step|regularized|statistics]</c>: the plain Adam step, the
/// regularised one (λ = 1e-3) and the regulariser alone (<see cref="RegularizedStepBenchmarks"/>' fixtures), interleaved
/// round by round, best per-call time of each, so the ratios hold under a varying load. Naming one part runs only it,
/// rounds × steps times, untimed: fixed work for instruction counts (<c>valgrind --tool=callgrind</c>, two call counts).
/// </summary>
public static class RegularizerProfile
{
    public static void Run(string[] args)
    {
        int index = args.Length > 2 ? int.Parse(args[2]) : 0;
        int rounds = args.Length > 3 ? int.Parse(args[3]) : 10;
        int steps = args.Length > 4 ? int.Parse(args[4]) : 50;
        int threads = args.Length > 5 ? int.Parse(args[5]) : Environment.ProcessorCount;
        string part = args.Length > 6 ? args[6] : "all";
        BenchmarkConfig config = BenchmarkConfig.All[index];
        using var plain = new AdamStepFixture(config.Create(), config.Batch, threads: threads);
        using var regularized = new AdamStepFixture(config.Create(), config.Batch, threads: threads, lambda: 1e-3);
        if (part != "all")
        {
            for (int call = 0; call < rounds * steps; call++)
            {
                _ = part switch
                {
                    "step" => plain.Step() ? 1.0 : 0.0,
                    "regularized" => regularized.Step() ? 1.0 : 0.0,
                    _ => regularized.Regularization(),
                };
            }

            Console.WriteLine($"{config.Name}: {rounds * steps} calls of {part}");
            return;
        }

        double bestPlain = double.MaxValue, bestRegularized = double.MaxValue, bestStatistics = double.MaxValue;
        for (int round = 0; round < rounds; round++)
        {
            bestPlain = Math.Min(bestPlain, PerCall(steps, () => plain.Step()));
            bestRegularized = Math.Min(bestRegularized, PerCall(steps, () => regularized.Step()));
            bestStatistics = Math.Min(bestStatistics, PerCall(steps, () => regularized.Regularization()));
        }

        Console.WriteLine($"{config.Name}: step {bestPlain:F1} us, regularised step {bestRegularized:F1} us ({bestRegularized / bestPlain:F2}x), regulariser alone {bestStatistics:F1} us (best of {rounds} rounds of {steps} calls, {threads} threads)");
    }

    private static double PerCall(int calls, Action action)
    {
        long start = Stopwatch.GetTimestamp();
        for (int c = 0; c < calls; c++)
        {
            action();
        }

        return Stopwatch.GetElapsedTime(start).TotalMicroseconds / calls;
    }
}
