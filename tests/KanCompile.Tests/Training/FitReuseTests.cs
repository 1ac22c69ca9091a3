using System.Runtime.CompilerServices;
using KanCompile.Training;
using KanCompile.Training.Optimizers;

namespace KanCompile.Tests.Training;

/// <summary>
/// Consecutive fits reuse parked worker threads (<see cref="ChunkWorkers.Rent"/>) and the last fit's objective buffers
/// (<see cref="KanObjective.Rent"/>). These tests read and fill the process-wide pools, so they run alone.
/// </summary>
[Collection(nameof(AllocationCollection))]
public class FitReuseTests
{
    private static readonly FitOptions Plain = new() { Optimizer = KanOptimizer.Adam, LearningRate = 1e-2, UpdateGrid = false, Lambda = 0 };

    private static KanDataset Data() => TestDatasets.Uniform(2, 200, 50, 0, x => TestDatasets.QuickStart(x));

    /// <summary>Records the thread that ran each chunk.</summary>
    private sealed class ThreadJob : IChunkJob
    {
        public readonly Thread?[] Threads = new Thread?[8];

        public void RunChunk(int chunk) => Threads[chunk] = Thread.CurrentThread;

        public Thread[] Workers() => Threads.Where(t => t is not null && t != Thread.CurrentThread).Distinct().ToArray()!;
    }

    // A thread count no fit in these tests uses, so the sets below are the only ones of their kind in the pool.
    private const int PoolThreads = 5;

    [Fact]
    public void A_parked_worker_set_serves_the_next_rent_with_the_same_background_threads()
    {
        var first = new ThreadJob();
        ChunkWorkers rented = ChunkWorkers.Rent(PoolThreads);
        rented.Run(first, first.Threads.Length);
        rented.Dispose();

        var second = new ThreadJob();
        using ChunkWorkers again = ChunkWorkers.Rent(PoolThreads);
        again.Run(second, second.Threads.Length);

        Assert.Same(rented, again);
        Assert.Equal(PoolThreads - 1, first.Workers().Length);
        Assert.Equal(first.Workers().OrderBy(t => t.ManagedThreadId), second.Workers().OrderBy(t => t.ManagedThreadId));
        Assert.All(first.Workers(), thread => Assert.True(thread.IsBackground, "a parked thread must not keep the process alive"));
    }

    [Fact]
    public void Sets_rented_at_the_same_time_are_distinct_and_the_oldest_parked_beyond_the_limit_stops()
    {
        ChunkWorkers[] sets = [ChunkWorkers.Rent(PoolThreads), ChunkWorkers.Rent(PoolThreads), ChunkWorkers.Rent(PoolThreads)];
        var jobs = sets.Select(_ => new ThreadJob()).ToArray();
        for (int s = 0; s < sets.Length; s++)
        {
            sets[s].Run(jobs[s], jobs[s].Threads.Length);
        }

        Assert.Equal(3, sets.Distinct().Count());
        Assert.Equal(3 * (PoolThreads - 1), jobs.SelectMany(job => job.Workers()).Distinct().Count());
        foreach (var set in sets)
        {
            set.Dispose();
        }

        // Two sets stay parked; the first one parked was stopped and its threads have ended.
        Assert.All(jobs[0].Workers(), thread => Assert.True(thread.Join(TimeSpan.FromSeconds(10)), "an evicted set's threads should end"));
        Assert.All(jobs[2].Workers(), thread => Assert.True(thread.IsAlive));
    }

    [Fact]
    public void A_reused_objective_evaluates_as_a_new_one()
    {
        KanDataset data = Data();
        using var workers = new ChunkWorkers(2);

        // A first fit with other settings everywhere: data, loss, λ, frozen scales, loss weight, the regulariser on.
        var other = new QuickStart251(3);
        KanDataset otherData = TestDatasets.Uniform(2, 120, 50, 1, x => 0.5 + 0.4 * Math.Sin(x[0] + x[1]));
        var otherOptions = Plain with { Lambda = 1e-2, LambdaCoef = 0.5, ScaleBaseTrainable = false, Loss = KanLoss.BinaryLogistic };
        KanObjective used = KanObjective.Rent(other, workers, 16, otherData.TestCount, otherOptions, default);
        used.LossWeight = 0.5;
        Train(other, used, otherData, otherOptions, steps: 3);
        used.Park();

        var reusedModel = new QuickStart251(1);
        var freshModel = new QuickStart251(1);
        KanObjective reused = KanObjective.Rent(reusedModel, workers, 16, data.TestCount, Plain, default);
        var fresh = new KanObjective(freshModel, workers, 16, data.TestCount, Plain, default);
        Assert.Same(used, reused);

        double[] reusedHistory = Train(reusedModel, reused, data, Plain, steps: 4);
        double[] freshHistory = Train(freshModel, fresh, data, Plain, steps: 4);

        Assert.Equal(freshHistory, reusedHistory);
        Assert.Equal(freshModel.Parameters.ToArray(), reusedModel.Parameters.ToArray());
        Assert.Equal(fresh.LastOutputs.ToArray(), reused.LastOutputs.ToArray());
    }

    [Fact]
    public void A_parked_objective_is_reused_only_when_its_buffers_fit()
    {
        KanDataset data = Data();
        using var workers = new ChunkWorkers(2);
        KanObjective parked = KanObjective.Rent(new QuickStart251(1), workers, 16, data.TestCount, Plain, default);

        parked.Park();
        Assert.NotSame(parked, KanObjective.Rent(new Golden231(1), workers, 16, data.TestCount, Plain, default));
        parked.Park();
        Assert.NotSame(parked, KanObjective.Rent(new QuickStart251(1), workers, 8, data.TestCount, Plain, default));
        parked.Park();
        Assert.NotSame(parked, KanObjective.Rent(new QuickStart251(1), workers, 16, data.TestCount + 1, Plain, default));
        parked.Park();
        Assert.Same(parked, KanObjective.Rent(new QuickStart251(2), workers, 16, data.TestCount - 1, Plain, default));
    }

    [Fact]
    public void A_parked_objective_survives_one_full_collection_and_is_dropped_at_the_second()
    {
        KanDataset data = Data();
        using var workers = new ChunkWorkers(2);
        KanObjective parked = KanObjective.Rent(new QuickStart251(1), workers, 16, data.TestCount, Plain, default);

        // A full collection another thread sets off (a background compile) between Park and Rent also counts as idle; only
        // a window with exactly the one collection made here says anything, so such a window is tried again.
        for (int attempt = 0; ; attempt++)
        {
            int before = GC.CollectionCount(2);
            parked.Park();
            FullCollection();
            KanObjective rented = KanObjective.Rent(new QuickStart251(1), workers, 16, data.TestCount, Plain, default);
            if (GC.CollectionCount(2) - before == 1 || attempt == 4)
            {
                Assert.Same(parked, rented);
                break;
            }

            parked = rented;
        }

        parked.Park();
        FullCollection();
        FullCollection();
        Assert.NotSame(parked, KanObjective.Rent(new QuickStart251(1), workers, 16, data.TestCount, Plain, default));
    }

    private static void FullCollection()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }

    [Fact]
    public void A_parked_objective_keeps_neither_the_model_nor_the_data_alive()
    {
        using var workers = new ChunkWorkers(2);
        (WeakReference model, WeakReference inputs) = FitAndPark(workers);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(model.IsAlive, "the parked objective still references the model");
        Assert.False(inputs.IsAlive, "the parked objective still references the training inputs");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Model, WeakReference Inputs) FitAndPark(ChunkWorkers workers)
    {
        KanDataset data = Data();
        var model = new QuickStart251(1);
        KanObjective objective = KanObjective.Rent(model, workers, 16, data.TestCount, Plain, default);
        Train(model, objective, data, Plain, steps: 2);
        objective.Park();
        return (new WeakReference(model), new WeakReference(data.TrainInputs));
    }

    [Fact]
    public void Consecutive_fits_give_the_bits_of_the_first()
    {
        KanDataset data = Data();
        var first = new QuickStart251(1);
        var second = new QuickStart251(1);
        FitResult a = first.Fit(data, Plain with { Steps = 5 });
        new QuickStart251(2).Fit(data, Plain with { Steps = 2, Lambda = 1e-2, BatchSize = 20 });
        FitResult b = second.Fit(data, Plain with { Steps = 5 });

        Assert.Equal(first.Parameters.ToArray(), second.Parameters.ToArray());
        Assert.Equal(a.TrainLoss, b.TrainLoss);
        Assert.Equal(a.TestLoss, b.TestLoss);
        Assert.Equal(a.Regularization, b.Regularization);
    }

    /// <summary>Fit's loop on the full batch: Adam steps, the regulariser on the last, the test loss after each; returns every loss seen.</summary>
    private static double[] Train(KanModel model, KanObjective objective, KanDataset data, FitOptions options, int steps)
    {
        var adam = new AdamOptimizer(model.ParameterCount, options.LearningRate);
        var history = new List<double>();
        objective.ResetBest();
        for (int step = 0; step < steps; step++)
        {
            objective.ComputeRegularization = options.Lambda > 0 || step == steps - 1;
            objective.SetBatch(data.TrainInputs, data.TrainLabels, data.TrainCount);
            Assert.True(adam.Step(model.ParameterBuffer, objective));
            history.Add(objective.LastLoss);
            history.Add(objective.LastRegularization);
            history.Add(objective.MeanLoss(data.TestInputs, data.TestLabels, data.TestCount));
        }

        return history.ToArray();
    }
}
