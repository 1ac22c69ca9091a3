using KanCompile.Tests.Training;
using KanCompile.Training;
using KanCompile.Training.Optimizers;
using Xunit.Abstractions;

namespace KanCompile.Tests.Classification;

/// <summary>A fit step with a classification or user loss (and frozen scales) allocates nothing after warm-up, on any thread.</summary>
[Collection(nameof(AllocationCollection))]
public class LossAllocationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("cross_entropy", KanOptimizer.LBfgs)]
    [InlineData("pseudo_huber", KanOptimizer.Adam)]
    public void Fit_steps_with_a_loss_allocate_nothing_after_warm_up(string lossName, KanOptimizer kind)
    {
        KanLoss loss = TestLosses.ByName(lossName);
        var model = new Classifier243(1);
        KanDataset moons = KanDataset.TwoMoons(400, 200, seed: 2);
        var data = KanDataset.FromClasses(moons.TrainInputs, moons.TrainClasses.Select((c, i) => i % 5 == 0 ? 2 : c).ToArray(), moons.TestInputs, moons.TestClasses, 2, ["a", "b", "c"]);
        var (trainLabels, testLabels, _) = data.LabelsFor(3);
        var options = new FitOptions { Loss = loss, Lambda = 1e-3, ScaleBaseTrainable = false, MaxDegreeOfParallelism = 2 };
        using var pool = new ChunkWorkers(2);
        var objective = new KanObjective(model, pool, 16, data.TestCount, options, default) { Lambda = options.Lambda, ComputeRegularization = true };
        objective.SetBatch(data.TrainInputs, trainLabels, data.TrainCount);
        IFitOptimizer optimizer = kind == KanOptimizer.Adam ? new AdamOptimizer(model.ParameterCount, 1e-3) : new LbfgsOptimizer(model.ParameterCount, 1.0);

        void Step()
        {
            Assert.True(optimizer.Step(model.ParameterBuffer, objective));
            objective.MeanLoss(data.TestInputs, testLabels, data.TestCount);
        }

        for (int warm = 0; warm < 20; warm++)
        {
            Step();
        }

        Thread.Sleep(300);
        Step();
        long least = long.MaxValue;
        for (int window = 0; window < 3 && least > 0; window++)
        {
            long thread = GC.GetAllocatedBytesForCurrentThread(), workers = pool.WorkerAllocatedBytes;
            for (int s = 0; s < 5; s++)
            {
                Step();
            }

            long bytes = GC.GetAllocatedBytesForCurrentThread() - thread + pool.WorkerAllocatedBytes - workers;
            output.WriteLine($"{lossName}/{kind}: {bytes} bytes on the calling and worker threads over 5 steps");
            least = Math.Min(least, bytes);
        }

        Assert.Equal(0, least);
    }
}
