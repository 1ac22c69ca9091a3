using System.Diagnostics;
using Xunit.Abstractions;

namespace KanCompile.Tests.Training;

public class FitTests(ITestOutputHelper output)
{
    private static readonly FitOptions NoGridUpdate = new() { UpdateGrid = false };

    /// <summary>Reports synchronously on the fitting thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class Recorder(Action<FitProgress>? onReport = null) : IProgress<FitProgress>
    {
        public List<FitProgress> Reports { get; } = new();

        public void Report(FitProgress value)
        {
            Reports.Add(value);
            onReport?.Invoke(value);
        }
    }

    private static KanDataset Small(int seed = 0) => TestDatasets.Uniform(2, 200, 100, seed, x => TestDatasets.QuickStart(x));

    [Fact]
    public void Quick_start_reaches_pykan_accuracy()
    {
        // pykan's hellokan: [2,5,1], 1000/1000 points on [-1,1]², 50 L-BFGS steps, λ = 1e-3 → test RMSE 1.77e-2.
        KanDataset data = TestDatasets.Uniform(2, 1000, 1000, 0, x => TestDatasets.QuickStart(x));
        var model = new QuickStart251(1);
        var clock = Stopwatch.StartNew();
        FitResult result = model.Fit(data, NoGridUpdate with { Steps = 50, Lambda = 1e-3 });
        clock.Stop();
        output.WriteLine($"train RMSE {result.TrainRmse[^1]:E3}, test RMSE {result.TestRmse[^1]:E3}, reg {result.Regularization[^1]:F3}, {clock.Elapsed.TotalSeconds:F2} s");
        Assert.Equal(FitExitReason.Completed, result.ExitReason);
        Assert.Equal(50, result.Steps);
        Assert.True(result.TestRmse[^1] <= 2e-2, $"test RMSE {result.TestRmse[^1]:E3}");
        // LastFitInputs is the training split as it was: a copy, so later changes to the dataset's array do not move it.
        Assert.NotSame(data.TrainInputs, model.LastFitInputs);
        Assert.Equal(data.TrainInputs, model.LastFitInputs);
        double first = data.TrainInputs[0];
        data.TrainInputs[0] = first + 1;
        Assert.Equal(first, model.LastFitInputs![0]);
    }

    [Fact]
    public void Quick_start_with_pykan_grid_updates_reaches_pykan_accuracy()
    {
        // The full pykan recipe: grid 3, grid updates every 5 steps until step 50 (FitOptions defaults), λ = 1e-3.
        KanDataset data = KanDataset.FromFunction(x => Math.Exp(Math.Sin(Math.PI * x[0]) + x[1] * x[1]), 2);
        var model = new QuickStartGrid3(1);
        FitResult result = model.Fit(data, new FitOptions { Steps = 50, Lambda = 1e-3 });
        output.WriteLine($"train RMSE {result.TrainRmse[^1]:E3}, test RMSE {result.TestRmse[^1]:E3}, reg {result.Regularization[^1]:F3}, {result.Elapsed.TotalSeconds:F2} s");
        Assert.Equal(FitExitReason.Completed, result.ExitReason);
        Assert.True(result.TestRmse[^1] <= 2e-2, $"test RMSE {result.TestRmse[^1]:E3}");
        Assert.NotEqual(KnotVectorAt(new QuickStartGrid3(1)), KnotVectorAt(model));
    }

    private static double[] KnotVectorAt(KanModel model) => model.GetKnots(0, 0).ToArray();

    [Fact]
    public void Progress_reports_every_step_with_the_logged_values()
    {
        var recorder = new Recorder();
        var model = new QuickStart251(1);
        FitResult result = model.Fit(Small(), NoGridUpdate with { Steps = 6, Lambda = 1e-2 }, recorder);
        Assert.Equal(6, recorder.Reports.Count);
        for (int s = 0; s < 6; s++)
        {
            FitProgress report = recorder.Reports[s];
            Assert.Equal(s + 1, report.Step);
            Assert.Equal(6, report.TotalSteps);
            Assert.Equal(result.TrainRmse[s], report.TrainRmse);
            Assert.Equal(result.TestRmse[s], report.TestRmse);
            Assert.Equal(result.Regularization[s], report.Regularization);
            Assert.True(report.Regularization > 0);
        }

        Assert.True(result.TrainRmse[^1] < result.TrainRmse[0], "the loss did not go down");
    }

    [Fact]
    public void Without_lambda_the_regulariser_is_reported_on_the_last_step_only()
    {
        FitResult result = new QuickStart251(1).Fit(Small(), NoGridUpdate with { Steps = 3 });
        Assert.Equal(0.0, result.Regularization[0]);
        Assert.Equal(0.0, result.Regularization[1]);
        Assert.True(result.Regularization[2] > 0);
    }

    [Fact]
    public void Same_options_give_the_same_bits_for_any_thread_count()
    {
        var options = NoGridUpdate with { Steps = 4, Lambda = 1e-2, BatchSize = 64, Seed = 3 };
        var one = new QuickStart251(1);
        var two = new QuickStart251(1);
        var three = new QuickStart251(1);
        FitResult a = one.Fit(Small(), options with { MaxDegreeOfParallelism = 1 });
        FitResult b = two.Fit(Small(), options with { MaxDegreeOfParallelism = 2 });
        FitResult c = three.Fit(Small(), options with { MaxDegreeOfParallelism = 2 });
        Assert.Equal(one.Parameters.ToArray(), two.Parameters.ToArray());
        Assert.Equal(two.Parameters.ToArray(), three.Parameters.ToArray());
        Assert.Equal(a.TestRmse, b.TestRmse);
        Assert.Equal(b.TrainRmse, c.TrainRmse);
    }

    [Fact]
    public void Minibatches_differ_by_seed()
    {
        var first = new QuickStart251(1);
        var second = new QuickStart251(1);
        first.Fit(Small(), NoGridUpdate with { Steps = 2, BatchSize = 50, Seed = 1 });
        second.Fit(Small(), NoGridUpdate with { Steps = 2, BatchSize = 50, Seed = 2 });
        Assert.NotEqual(first.Parameters.ToArray(), second.Parameters.ToArray());
    }

    [Fact]
    public void Generated_model_and_network_train_alike()
    {
        var generated = new Golden231(2);
        var network = new KanNetwork(new[] { 2, 3, 1 }, 5, 3, seed: 2);
        Assert.Equal(generated.Parameters.ToArray(), network.Parameters.ToArray());
        FitResult a = generated.Fit(Small(), NoGridUpdate with { Steps = 3, Lambda = 1e-2 });
        FitResult b = network.Fit(Small(), NoGridUpdate with { Steps = 3, Lambda = 1e-2 });
        // Both run kernels from the same emitter on the same parameters: they agree to the kernels' 1e-12, step by step.
        for (int s = 0; s < 3; s++)
        {
            Assert.True(Math.Abs(a.TestRmse[s] - b.TestRmse[s]) <= 1e-12 * b.TestRmse[s], $"step {s}: {a.TestRmse[s]:R} vs {b.TestRmse[s]:R}");
        }

        double[] pa = generated.Parameters.ToArray(), pb = network.Parameters.ToArray();
        for (int i = 0; i < pa.Length; i++)
        {
            Assert.True(Math.Abs(pa[i] - pb[i]) <= 1e-12 * (1 + Math.Abs(pb[i])), $"parameter {i}: {pa[i]:R} vs {pb[i]:R}");
        }
    }

    [Fact]
    public void Non_finite_loss_stops_and_restores_the_best_parameters()
    {
        // Adam moves every parameter by ~lr on its first step: 1e200 overflows the next loss.
        var model = new QuickStart251(1);
        double[] initial = model.Parameters.ToArray();
        FitResult result = model.Fit(Small(), NoGridUpdate with { Optimizer = KanOptimizer.Adam, LearningRate = 1e200, Steps = 5 });
        Assert.Equal(FitExitReason.NonFiniteLoss, result.ExitReason);
        Assert.True(result.Steps < 5);
        Assert.Equal(initial, model.Parameters.ToArray());
        Assert.All(result.TestRmse, r => Assert.True(double.IsFinite(r)));
    }

    [Fact]
    public void Cancellation_returns_the_best_parameters_so_far()
    {
        using var cancellation = new CancellationTokenSource();
        var recorder = new Recorder(p =>
        {
            if (p.Step == 3)
            {
                cancellation.Cancel();
            }
        });
        var model = new QuickStart251(1);
        KanDataset data = Small();
        FitResult result = model.Fit(data, NoGridUpdate with { Steps = 20 }, recorder, cancellation.Token);
        Assert.Equal(FitExitReason.Cancelled, result.ExitReason);
        Assert.Equal(3, result.Steps);
        var outputs = new double[data.TestCount];
        model.Predict(data.TestInputs, outputs);
        double rmse = Math.Sqrt(outputs.Select((y, s) => (y - data.TestLabels[s]) * (y - data.TestLabels[s])).Average());
        Assert.True(rmse <= result.TestRmse[^1] * (1 + 1e-9), $"after cancel the test RMSE is {rmse:E3}, at step 3 it was {result.TestRmse[^1]:E3}");
    }

    [Fact]
    public void Bad_options_and_data_are_rejected_with_the_setting_named()
    {
        var model = new QuickStart251(1);
        var grid = Assert.Throws<ArgumentException>(() => model.Fit(Small(), new FitOptions { StopGridUpdateStep = 5, GridUpdateCount = 10 }));
        Assert.Contains("StopGridUpdateStep", grid.Message);
        Assert.Contains("UpdateGrid = false", grid.Message);
        Assert.Contains("BatchSize", Assert.Throws<ArgumentException>(() => model.Fit(Small(), NoGridUpdate with { BatchSize = 0 })).Message);
        Assert.Contains("Lambda", Assert.Throws<ArgumentException>(() => model.Fit(Small(), NoGridUpdate with { Lambda = -1 })).Message);
        var wide = new KanDataset(new double[6], new double[2], new double[3], new double[1], 3, 1);
        Assert.Contains("3 inputs", Assert.Throws<ArgumentException>(() => model.Fit(wide, NoGridUpdate)).Message);
        var bad = new KanDataset(new[] { 0.1, double.NaN, 0.2, 0.3 }, new double[2], new double[2], new double[1], 2, 1);
        Assert.Contains("Sample 0, column 1 of the train inputs is", Assert.Throws<ArgumentException>(() => model.Fit(bad, NoGridUpdate)).Message);
        Assert.Throws<ArgumentException>(() => new KanDataset(new double[5], new double[2], new double[2], new double[1], 2, 1));
    }
}
