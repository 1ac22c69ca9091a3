using KanCompile.Training;
using KanCompile.Training.Optimizers;
using Xunit.Abstractions;

namespace KanCompile.Tests.Training;

/// <summary>Allocation counts read the whole process, so these tests run alone.</summary>
[CollectionDefinition(nameof(AllocationCollection), DisableParallelization = true)]
public class AllocationCollection { }

/// <summary>After warm-up a fit step allocates nothing: objective evaluations on the worker threads, L-BFGS and Adam steps, test RMSE.</summary>
[Collection(nameof(AllocationCollection))]
public class AllocationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(KanOptimizer.LBfgs, 0.0)]
    [InlineData(KanOptimizer.LBfgs, 1e-3)]
    [InlineData(KanOptimizer.Adam, 1e-3)]
    public void Fit_steps_allocate_nothing_after_warm_up(KanOptimizer kind, double lambda)
    {
        var model = new QuickStart251(1);
        KanDataset data = TestDatasets.Uniform(2, 400, 400, 0, x => TestDatasets.QuickStart(x));
        var options = new FitOptions { Lambda = lambda, LambdaCoef = 0.1, LambdaCoefDiff = 0.1, LearningRate = kind == KanOptimizer.Adam ? 1e-3 : 1.0, MaxDegreeOfParallelism = 2 };
        using var pool = new ChunkWorkers(2);
        var objective = new KanObjective(model, pool, 16, data.TestCount, options, default) { ComputeRegularization = lambda > 0 };
        objective.SetBatch(data.TrainInputs, data.TrainLabels, data.TrainCount);
        IFitOptimizer optimizer = kind == KanOptimizer.Adam ? new AdamOptimizer(model.ParameterCount, 1e-3) : new LbfgsOptimizer(model.ParameterCount, 1.0);

        void Step()
        {
            Assert.True(optimizer.Step(model.ParameterBuffer, objective));
            objective.MeanLoss(data.TestInputs, data.TestLabels, data.TestCount);
        }

        // Warm up: first calls compile code and initialise statics; the tiered JIT then swaps code in the background.
        for (int warm = 0; warm < 30; warm++)
        {
            Step();
        }

        Thread.Sleep(500);
        Step();
        const int steps = 10, windows = 3;
        long leastTotalBytes = long.MaxValue;
        for (int window = 0; window < windows; window++)
        {
            long thread = GC.GetAllocatedBytesForCurrentThread();
            long workers = workers0();
            long total = GC.GetTotalAllocatedBytes(precise: true);
            for (int s = 0; s < steps; s++)
            {
                Step();
            }

            long threadBytes = GC.GetAllocatedBytesForCurrentThread() - thread;
            long workerBytes = workers0() - workers;
            long totalBytes = GC.GetTotalAllocatedBytes(precise: true) - total;
            output.WriteLine($"{kind}, lambda {lambda}: {threadBytes} bytes on the calling thread, {workerBytes} on the worker threads, {totalBytes} in the whole process over {steps} steps");
            Assert.Equal(0, threadBytes);
            Assert.Equal(0, workerBytes);
            leastTotalBytes = Math.Min(leastTotalBytes, totalBytes);
        }

        // The whole process includes the test runner's own threads, which now and then allocate in the middle of a window
        // (118 kB once in a clean CI run, while the fit's own threads allocated 0): the quietest of three windows counts.
        // One gradient buffer per evaluation alone would be ~100 KB in every window, so staying far below that shows the
        // fit itself allocates nothing, on any thread.
        Assert.True(leastTotalBytes < 64 * 1024, $"{leastTotalBytes} bytes allocated by the process over {steps} steps, in the quietest of {windows} windows");

        long workers0() => pool.WorkerAllocatedBytes;
    }

    /// <summary>
    /// A whole Fit, after a warm-up fit: the calling thread allocates the same for 10 steps as for 40 but for the
    /// per-step history (five arrays of one double per step), so nothing in Fit's loop allocates, and the per-fit setup
    /// (rented threads, the parked objective) costs the same however long the fit.
    /// </summary>
    [Fact]
    public void A_fit_allocates_nothing_per_step_beyond_its_history()
    {
        var model = new QuickStart251(1);
        KanDataset data = TestDatasets.Uniform(2, 400, 1, 0, x => TestDatasets.QuickStart(x));
        var options = new FitOptions { Optimizer = KanOptimizer.Adam, LearningRate = 1e-3, UpdateGrid = false, Lambda = 0, MaxDegreeOfParallelism = 2 };
        for (int warm = 0; warm < 30; warm++)
        {
            model.Fit(data, options with { Steps = 10 });
        }

        Thread.Sleep(500);
        model.Fit(data, options with { Steps = 10 });
        long shortFit = long.MaxValue, longFit = long.MaxValue;
        for (int window = 0; window < 3; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            model.Fit(data, options with { Steps = 10 });
            long between = GC.GetAllocatedBytesForCurrentThread();
            model.Fit(data, options with { Steps = 40 });
            long after = GC.GetAllocatedBytesForCurrentThread();
            shortFit = Math.Min(shortFit, between - before);
            longFit = Math.Min(longFit, after - between);
        }

        output.WriteLine($"a 10-step fit allocated {shortFit} bytes on the calling thread, a 40-step fit {longFit}");
        Assert.Equal(5 * 30 * sizeof(double), longFit - shortFit);
    }
}
