using KanCompile.Cli.Output;

namespace KanCompile.Cli.Fitting;

/// <summary>
/// What the fit observers print for a step or a finished fit: train and test RMSE for a regression; for a classifier
/// (whose RMSE is not defined) the train and test loss and accuracy.
/// </summary>
internal static class FitMeasures
{
    /// <summary>"train RMSE …, test RMSE …" or "train loss …, test loss …, train accuracy …, test accuracy …".</summary>
    public static string Describe(double trainRmse, double testRmse, double trainLoss, double testLoss, IReadOnlyDictionary<string, double> metrics)
    {
        if (!double.IsNaN(trainRmse))
        {
            return $"train RMSE {Numbers.Error(trainRmse)}, test RMSE {Numbers.Error(testRmse)}";
        }

        string text = $"train loss {Numbers.Error(trainLoss)}, test loss {Numbers.Error(testLoss)}";
        foreach (KanMetric metric in new[] { KanMetric.TrainAccuracy, KanMetric.TestAccuracy })
        {
            if (metrics.TryGetValue(metric.Name, out double value))
            {
                text += $", {(metric.Split == KanDataSplit.Train ? "train" : "test")} accuracy {Numbers.Accuracy(value)}";
            }
        }

        return text;
    }

    /// <summary>The measures of one reported step.</summary>
    public static string Describe(FitProgress progress) =>
        Describe(progress.TrainRmse, progress.TestRmse, progress.TrainLoss, progress.TestLoss, progress.Metrics);

    /// <summary>The measures of a fit's last step (NaN when it completed none).</summary>
    public static string Describe(FitResult fit) => fit.Steps == 0
        ? Describe(double.NaN, double.NaN, double.NaN, double.NaN, new Dictionary<string, double>())
        : Describe(fit.TrainRmse[^1], fit.TestRmse[^1], fit.TrainLoss[^1], fit.TestLoss[^1], fit.Metrics.ToDictionary(m => m.Key, m => m.Value[^1]));
}
