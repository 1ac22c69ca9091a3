namespace KanCompile.Training.Losses;

/// <summary>A user's loss given as a <see cref="KanLossFunction"/> (<see cref="KanLoss.Create"/>).</summary>
internal sealed class DelegateLoss : KanLoss
{
    private readonly KanLossFunction _function;

    public DelegateLoss(string name, KanLossFunction function, bool averagesOverOutputs)
        : base(name, averagesOverOutputs)
    {
        ArgumentNullException.ThrowIfNull(function);
        _function = function;
    }

    public override double Evaluate(ReadOnlySpan<double> outputs, ReadOnlySpan<double> labels, Span<double> outputGradient) =>
        _function(outputs, labels, outputGradient);
}
