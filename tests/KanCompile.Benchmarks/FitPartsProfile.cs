using System.Diagnostics;
using KanCompile.Training;
using KanCompile.Training.Optimizers;

namespace KanCompile.Benchmarks;

/// <summary>
/// <c>profile fitparts [config 0-2] [rounds]</c>: where a fit's fixed cost goes. Each part is timed once per round,
/// the parts interleaved, best of the rounds (so it holds under load): the isolated step; a whole one-step Fit; a
/// worker set's threads started and joined; the first step on a fresh worker set and a fresh objective (the kernels'
/// per-thread scratch and tables built on the new threads) and the same on warm threads; the last step's regulariser
/// pass; the data validation.
/// </summary>
public static class FitPartsProfile
{
    public static void Run(string[] args)
    {
        int index = args.Length > 2 ? int.Parse(args[2]) : 0;
        int rounds = args.Length > 3 ? int.Parse(args[3]) : 20;
        BenchmarkConfig config = BenchmarkConfig.All[index];
        KanModel isolatedModel = config.Create(), fitModel = config.Create(), partsModel = config.Create();
        using var step = new AdamStepFixture(isolatedModel, config.Batch);
        KanDataset data = FitThroughputBenchmarks.FitData(fitModel, config.Batch);
        FitOptions oneStep = FitThroughputBenchmarks.Options(1);
        int threads = Environment.ProcessorCount;
        var data2 = new TrainingData(data.TrainInputs, data.TrainLabels, data.TestInputs, data.TestLabels, data.InputCount, 1);
        using var warmWorkers = new ChunkWorkers(threads);
        var parts = new (string Name, Action Run)[]
        {
            ("isolated step", () => step.Step()),
            ("Fit, 1 step", () => fitModel.Fit(data, oneStep)),
            ("worker threads started and joined", () => new ChunkWorkers(threads).Dispose()),
            ("first step, new threads + new objective", () => FirstStep(partsModel, data, oneStep, null, threads)),
            ("first step, warm threads + new objective", () => FirstStep(partsModel, data, oneStep, warmWorkers, threads)),
            ("regulariser pass (warm)", () => step.Regularization()),
            ("data validation: shapes and finite values", () => data2.Validate(partsModel.InputCount, 1)),
            ("data validation: labels for the loss", () => data2.ValidateLabels(oneStep.Loss)),
            ("train inputs copied", () => data.TrainInputs.ToArray()),
            ("Adam optimiser created", () => new AdamOptimizer(partsModel.ParameterCount, 1e-3)),
            ("parked workers rented and parked again", () => ChunkWorkers.Rent(threads).Dispose()),
            ("parked objective rented and parked again", () => KanObjective.Rent(partsModel, warmWorkers, 16, 1, oneStep, CancellationToken.None).Park()),
        };
        // Warm-up: past the tiered JIT's call counts, then time for the background recompiles to land.
        for (int warm = 0; warm < 40; warm++)
        {
            foreach (var part in parts)
            {
                part.Run();
            }
        }

        Thread.Sleep(500);
        var best = new double[parts.Length];
        Array.Fill(best, double.MaxValue);
        for (int round = 0; round < rounds; round++)
        {
            for (int p = 0; p < parts.Length; p++)
            {
                long start = Stopwatch.GetTimestamp();
                parts[p].Run();
                best[p] = Math.Min(best[p], Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            }
        }

        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        int gen2 = GC.CollectionCount(2);
        for (int fit = 0; fit < 10; fit++)
        {
            fitModel.Fit(data, oneStep);
        }

        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        long before = GC.GetAllocatedBytesForCurrentThread();
        _ = new KanObjective(partsModel, warmWorkers, 16, 1, oneStep, CancellationToken.None);
        Console.WriteLine($"{config.Name}: a new objective allocates {GC.GetAllocatedBytesForCurrentThread() - before} bytes");
        Console.WriteLine($"{config.Name}: a one-step Fit allocates {allocated / 10} bytes (whole process, mean of 10; {GC.CollectionCount(2) - gen2} gen-2 collections)");
        Console.WriteLine($"{config.Name}, {threads} threads, best of {rounds} rounds:");
        for (int p = 0; p < parts.Length; p++)
        {
            Console.WriteLine($"  {parts[p].Name,-45} {best[p],10:F1} us");
        }
    }

    private static void FirstStep(KanModel model, KanDataset data, FitOptions options, ChunkWorkers? workers, int threads)
    {
        ChunkWorkers used = workers ?? new ChunkWorkers(threads);
        try
        {
            var objective = new KanObjective(model, used, 16, 1, options, CancellationToken.None);
            objective.SetBatch(data.TrainInputs, data.TrainLabels, data.TrainCount);
            new AdamOptimizer(model.ParameterCount, options.LearningRate).Step(model.ParameterBuffer, objective);
        }
        finally
        {
            if (workers is null)
            {
                used.Dispose();
            }
        }
    }
}
