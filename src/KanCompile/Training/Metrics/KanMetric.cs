using KanCompile.Training.Metrics;

namespace KanCompile;

/// <summary>
/// A value a fit computes after every step, as pykan's <c>metrics</c> (<see cref="FitOptions.Metrics"/>). Either it reads
/// the model's outputs on the step's training or test batch (<see cref="Create(string, KanDataSplit, KanMetricFunction)"/>,
/// the built-in <see cref="TrainAccuracy"/> and <see cref="TestAccuracy"/>; each batch's outputs are computed once for all
/// such metrics), or it is any callback, as in pykan (<see cref="Create(string, Func{double})"/>).
/// </summary>
public abstract class KanMetric
{
    private protected KanMetric(string name, KanDataSplit? split)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (split is KanDataSplit given && !Enum.IsDefined(given))
        {
            throw new ArgumentOutOfRangeException(nameof(split), split, "Use KanDataSplit.Train or KanDataSplit.Test.");
        }

        Name = name;
        Split = split;
    }

    /// <summary>
    /// pykan's tutorial <c>train_acc</c>: the share of training samples (of the step's batch; all of them with the full
    /// batch) whose predicted class is their label's, the class read from the outputs as the fit's loss implies (see
    /// <see cref="KanClassDecision"/>).
    /// </summary>
    public static KanMetric TrainAccuracy { get; } = new AccuracyMetric("train_acc", KanDataSplit.Train);

    /// <summary>pykan's tutorial <c>test_acc</c>: <see cref="TrainAccuracy"/> on the test batch.</summary>
    public static KanMetric TestAccuracy { get; } = new AccuracyMetric("test_acc", KanDataSplit.Test);

    /// <summary>
    /// A metric of the model's outputs on the step's <paramref name="split"/> batch (after the step's update), with the
    /// labels as the loss sees them.
    /// </summary>
    public static KanMetric Create(string name, KanDataSplit split, KanMetricFunction evaluate) => new OutputMetric(name, split, evaluate);

    /// <summary>Any value, computed by a callback after every step (pykan's zero-argument metric functions).</summary>
    public static KanMetric Create(string name, Func<double> evaluate) => new CallbackMetric(name, evaluate);

    /// <summary>The key of the metric's values in <see cref="FitResult.Metrics"/> and <see cref="FitProgress.Metrics"/>.</summary>
    public string Name { get; }

    /// <summary>Which batch's outputs the metric reads, or null for a callback.</summary>
    public KanDataSplit? Split { get; }

    /// <summary>The metric on a batch's outputs and labels (row-major, <paramref name="outputCount"/> per sample).</summary>
    internal abstract double Evaluate(ReadOnlySpan<double> outputs, ReadOnlySpan<double> labels, int outputCount, KanLoss loss);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
