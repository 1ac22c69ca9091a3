using System.Diagnostics;

namespace KanCompile.Benchmarks;

/// <summary>
/// <c>profile fit [config 0-2] [rounds] [steps]</c>: the isolated training step (<see cref="AdamStepFixture"/>) and a step
/// through <c>Fit</c> (<see cref="FitThroughputBenchmarks"/>' setup), interleaved round by round, best per-step time of
/// each, so the ratio holds under a varying load. Both are warmed up first, as BenchmarkDotNet does.
/// </summary>
public static class FitOverheadProfile
{
    public static void Run(string[] args)
    {
        int index = args.Length > 2 ? int.Parse(args[2]) : 0;
        int rounds = args.Length > 3 ? int.Parse(args[3]) : 10;
        BenchmarkConfig config = BenchmarkConfig.All[index];
        int steps = args.Length > 4 ? int.Parse(args[4]) : 200;
        KanModel isolatedModel = config.Create(), fitModel = config.Create();
        using var step = new AdamStepFixture(isolatedModel, config.Batch);
        KanDataset data = FitThroughputBenchmarks.FitData(fitModel, config.Batch);
        FitOptions options = FitThroughputBenchmarks.Options(steps);
        // Warm-up, as BenchmarkDotNet's: every path of a fit (the last step's regulariser pass, the test loss) past the
        // tiered JIT's call counts, then time for the background recompiles to land. Without it a short fit's time is
        // mostly unoptimised code.
        for (int warm = 0; warm < 40; warm++)
        {
            step.Step();
            fitModel.Fit(data, FitThroughputBenchmarks.Options(1));
        }

        Thread.Sleep(500);
        double bestStep = double.MaxValue, bestFit = double.MaxValue;
        int gen0 = GC.CollectionCount(0), gen2 = GC.CollectionCount(2);
        for (int round = 0; round < rounds; round++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int s = 0; s < steps; s++)
            {
                step.Step();
            }

            bestStep = Math.Min(bestStep, Stopwatch.GetElapsedTime(start).TotalMicroseconds / steps);
            start = Stopwatch.GetTimestamp();
            fitModel.Fit(data, options);
            bestFit = Math.Min(bestFit, Stopwatch.GetElapsedTime(start).TotalMicroseconds / steps);
        }

        Console.WriteLine($"{config.Name}: isolated step {bestStep:F1} us, step through Fit {bestFit:F1} us, ratio {bestFit / bestStep:F3} (best of {rounds} rounds of {steps} steps; {GC.CollectionCount(0) - gen0} GCs, {GC.CollectionCount(2) - gen2} of gen 2)");
    }
}
