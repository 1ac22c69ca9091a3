namespace KanCompile.Training.Metrics;

/// <summary>A user's metric of a batch's outputs and labels.</summary>
internal sealed class OutputMetric : KanMetric
{
    private readonly KanMetricFunction _evaluate;

    public OutputMetric(string name, KanDataSplit split, KanMetricFunction evaluate)
        : base(name, split)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        _evaluate = evaluate;
    }

    internal override double Evaluate(ReadOnlySpan<double> outputs, ReadOnlySpan<double> labels, int outputCount, KanLoss loss) =>
        _evaluate(outputs, labels, outputCount);
}
