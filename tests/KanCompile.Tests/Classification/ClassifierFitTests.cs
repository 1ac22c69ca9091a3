using KanCompile.Tests.Training;

namespace KanCompile.Tests.Classification;

/// <summary>Classifiers trained through Fit: losses, metrics, class predictions, label errors, determinism.</summary>
public class ClassifierFitTests
{
    private static readonly KanDataset Moons = KanDataset.TwoMoons(trainCount: 300, testCount: 300, noise: 0.1, seed: 1);

    [Fact]
    public void Cross_entropy_learns_two_moons_and_reports_accuracy_each_step()
    {
        var model = new Moons22(2024);
        var reports = new List<FitProgress>();
        var options = new FitOptions { Steps = 20, Loss = KanLoss.SoftmaxCrossEntropy, Metrics = [KanMetric.TrainAccuracy, KanMetric.TestAccuracy] };
        FitResult result = model.Fit(Moons, options, new SynchronousProgress(reports.Add));

        Assert.Equal(FitExitReason.Completed, result.ExitReason);
        Assert.Same(KanLoss.SoftmaxCrossEntropy, result.Loss);
        Assert.All(result.TrainRmse, r => Assert.True(double.IsNaN(r)));
        // Separable data: the training loss keeps falling as the logits grow (so may the held-out loss rise, as in pykan's run).
        Assert.True(result.TrainLoss[^1] < result.TrainLoss[0], $"train loss {result.TrainLoss[0]} -> {result.TrainLoss[^1]}");
        Assert.Equal(20, result.Metrics["train_acc"].Count);
        Assert.Equal(result.Metrics["test_acc"][^1], reports[^1].Metrics["test_acc"]);
        Assert.Equal(result.TestLoss[^1], reports[^1].TestLoss);
        Assert.True(result.Metrics["test_acc"][^1] >= 0.95, $"test accuracy {result.Metrics["test_acc"][^1]}");

        // The fit made it a classifier; its predictions agree with the metric (full batch: the whole test set).
        Assert.NotNull(model.Classes);
        Assert.Equal(["upper", "lower"], model.Classes!.Names);
        Assert.Equal(KanClassDecision.Softmax, model.Classes.Decision);
        var predicted = new int[Moons.TestCount];
        model.PredictClasses(Moons.TestInputs, predicted);
        double accuracy = predicted.Zip(Moons.TestClasses).Count(p => p.First == p.Second) / (double)Moons.TestCount;
        Assert.Equal(result.Metrics["test_acc"][^1], accuracy, 15);

        Span<double> probabilities = stackalloc double[2];
        model.PredictProbabilities(Moons.TestInputs.AsSpan(0, 2), probabilities);
        Assert.Equal(1.0, probabilities[0] + probabilities[1], 15);
        Assert.Equal(probabilities[1] > probabilities[0] ? "lower" : "upper", model.PredictClassName(Moons.TestInputs.AsSpan(0, 2)));
    }

    [Fact]
    public void Logistic_and_pykan_regression_formulations_train_one_output()
    {
        var logistic = new Moons21(1);
        FitResult result = logistic.Fit(Moons, new FitOptions { Steps = 10, Loss = KanLoss.BinaryLogistic, Metrics = [KanMetric.TestAccuracy] });
        Assert.Equal(KanClassDecision.Logistic, logistic.Classes!.Decision);
        Assert.True(result.Metrics["test_acc"][^1] >= 0.95, $"logistic test accuracy {result.Metrics["test_acc"][^1]}");

        // pykan's Example 4: MSE on the 0/1 label, the class by rounding.
        var regression = new Moons21(1);
        FitResult mse = regression.Fit(Moons, new FitOptions { Steps = 10, Metrics = [KanMetric.TestAccuracy] });
        Assert.Equal(KanClassDecision.NearestIndex, regression.Classes!.Decision);
        Assert.True(mse.Metrics["test_acc"][^1] >= 0.95, $"regression test accuracy {mse.Metrics["test_acc"][^1]}");
        Assert.Equal(mse.TrainRmse[^1] * mse.TrainRmse[^1], mse.TrainLoss[^1], 15);
        Assert.Throws<InvalidOperationException>(() => regression.PredictProbabilities(Moons.TestInputs.AsSpan(0, 2), new double[2]));

        // A logistic logit per class (one-hot labels): the class is the largest logit.
        var perClass = new Moons22(1);
        perClass.Fit(Moons, new FitOptions { Steps = 3, Loss = KanLoss.BinaryLogistic });
        Assert.Equal(KanClassDecision.NearestIndex, perClass.Classes!.Decision);
    }

    [Fact]
    public void Cross_entropy_fit_gives_the_same_bits_for_any_thread_count()
    {
        double[] Train(int threads)
        {
            var model = new Classifier243(5);
            var data = KanDataset.FromClasses(
                Moons.TrainInputs, Moons.TrainClasses.Select((c, i) => i % 7 == 0 ? 2 : c).ToArray(),
                Moons.TestInputs, Moons.TestClasses, 2, ["a", "b", "c"]);
            model.Fit(data, new FitOptions { Steps = 3, Loss = KanLoss.SoftmaxCrossEntropy, Lambda = 1e-3, MaxDegreeOfParallelism = threads });
            return model.Parameters.ToArray();
        }

        double[] one = Train(1);
        Assert.Equal(one, Train(2));
        Assert.Equal(one, Train(5));
    }

    [Fact]
    public void Metrics_read_the_step_batches_and_callbacks_run_each_step()
    {
        var model = new Moons21(3);
        int calls = 0;
        var meanOutput = KanMetric.Create("mean_output", KanDataSplit.Train, (outputs, labels, width) => outputs.ToArray().Average());
        var counter = KanMetric.Create("calls", () => ++calls);
        FitResult result = model.Fit(Moons, new FitOptions { Steps = 4, Metrics = [meanOutput, counter] });
        Assert.Equal([1.0, 2.0, 3.0, 4.0], result.Metrics["calls"]);
        var outputs = new double[Moons.TrainCount];
        model.Predict(Moons.TrainInputs, outputs);
        Assert.Equal(outputs.Average(), result.Metrics["mean_output"][^1], 12);
    }

    /// <summary>A user's loss with its own label rule: positive labels only.</summary>
    private sealed class PositiveLabelsLoss() : KanLoss("positive_mse", averagesOverOutputs: true)
    {
        public override double Evaluate(ReadOnlySpan<double> outputs, ReadOnlySpan<double> labels, Span<double> outputGradient)
        {
            double error = outputs[0] - labels[0];
            outputGradient[0] = 2 * error;
            return error * error;
        }

        public override string? CheckLabels(ReadOnlySpan<double> labels, out int column)
        {
            column = 0;
            return labels[0] > 0 ? null : $"is {labels[0]}; positive_mse needs a positive label";
        }
    }

    [Fact]
    public void Only_losses_with_a_label_rule_check_labels_and_a_users_rule_is_applied()
    {
        Assert.False(KanLoss.MeanSquaredError.RestrictsLabels);
        Assert.True(KanLoss.BinaryLogistic.RestrictsLabels);
        Assert.True(KanLoss.SoftmaxCrossEntropy.RestrictsLabels);
        Assert.True(new PositiveLabelsLoss().RestrictsLabels);

        var model = new Moons21(1);
        var data = new KanDataset(Moons.TrainInputs, Moons.TrainLabels.Select(t => t + 1.0).ToArray(), Moons.TestInputs, Moons.TestLabels.Select((t, i) => i == 3 ? -1.0 : t + 1.0).ToArray(), 2, 1);
        var error = Assert.Throws<ArgumentException>(() => model.Fit(data, new FitOptions { Steps = 1, Loss = new PositiveLabelsLoss() }));
        Assert.Contains("test label of sample 3, column 0, is -1; positive_mse needs a positive label", error.Message);
    }

    [Fact]
    public void Labels_a_loss_cannot_use_are_named_by_sample_and_column()
    {
        var model = new Moons21(1);
        var data = new KanDataset(Moons.TrainInputs, Moons.TrainLabels.Select((t, i) => i == 17 ? 2.0 : t).ToArray(), Moons.TestInputs, Moons.TestLabels, 2, 1);
        var error = Assert.Throws<ArgumentException>(() => model.Fit(data, new FitOptions { Steps = 1, Loss = KanLoss.BinaryLogistic }));
        Assert.Contains("train label of sample 17, column 0, is 2", error.Message);

        // Cross-entropy needs one output per class: a regression dataset has one label per sample.
        var wide = new Classifier243(1);
        var regression = new KanDataset(Moons.TrainInputs, Moons.TrainLabels, Moons.TestInputs, Moons.TestLabels, 2, 1);
        Assert.Contains("1 labels per sample but the model has 3 outputs", Assert.Throws<ArgumentException>(() => wide.Fit(regression, new FitOptions { Steps = 1, Loss = KanLoss.SoftmaxCrossEntropy })).Message);

        Assert.Contains("Levenberg–Marquardt", Assert.Throws<ArgumentException>(() => model.Fit(Moons, new FitOptions { Optimizer = KanOptimizer.LevenbergMarquardt, Loss = KanLoss.BinaryLogistic })).Message);
        Assert.Contains("two metrics are named 'test_acc'", Assert.Throws<ArgumentException>(() => model.Fit(Moons, new FitOptions { Metrics = [KanMetric.TestAccuracy, KanMetric.TestAccuracy] })).Message);
    }

    [Fact]
    public void Predicting_a_class_without_classes_says_how_to_get_them()
    {
        var model = new Moons21(1);
        var error = Assert.Throws<InvalidOperationException>(() => model.PredictClass([0.1, 0.2]));
        Assert.Contains("no classes", error.Message);
        Assert.Throws<ArgumentException>(() => model.Classes = new KanClasses(["a", "b", "c"], KanClassDecision.Softmax));
        Assert.Contains("'d' is not one of the model's classes (a, b)", Assert.Throws<KeyNotFoundException>(() => new KanClasses(["a", "b"], KanClassDecision.Logistic).IndexOf("d")).Message);
    }

    private sealed class SynchronousProgress(Action<FitProgress> report) : IProgress<FitProgress>
    {
        public void Report(FitProgress value) => report(value);
    }
}
