namespace KanCompile.Training.Metrics;

/// <summary>A user's metric computed by a callback, as pykan's metric functions.</summary>
internal sealed class CallbackMetric : KanMetric
{
    private readonly Func<double> _evaluate;

    public CallbackMetric(string name, Func<double> evaluate)
        : base(name, null)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        _evaluate = evaluate;
    }

    internal override double Evaluate(ReadOnlySpan<double> outputs, ReadOnlySpan<double> labels, int outputCount, KanLoss loss) => _evaluate();
}
