namespace KanCompile.Training.Losses;

/// <summary>
/// −Σ_k t_k·log softmax(y)_k = (Σ_k t_k)·logsumexp(y) − Σ_k t_k·y_k, with gradient (Σ_k t_k)·softmax(y) − t.
/// The log-sum-exp is taken around max(y), so large logits neither overflow nor lose the small ones.
/// </summary>
internal sealed class SoftmaxCrossEntropyLoss : KanLoss
{
    /// <summary>How far a label row may sum from 1 and still count as a probability row.</summary>
    private const double RowSumTolerance = 1e-9;

    public SoftmaxCrossEntropyLoss()
        : base("cross_entropy")
    {
    }

    internal override KanClassDecision Decision => KanClassDecision.Softmax;

    public override double Evaluate(ReadOnlySpan<double> outputs, ReadOnlySpan<double> labels, Span<double> outputGradient)
    {
        double max = double.NegativeInfinity;
        for (int k = 0; k < outputs.Length; k++)
        {
            max = Math.Max(max, outputs[k]);
        }

        double sum = 0.0;
        for (int k = 0; k < outputs.Length; k++)
        {
            double e = Math.Exp(outputs[k] - max);
            outputGradient[k] = e;
            sum += e;
        }

        double logSumExp = max + Math.Log(sum);
        double mass = 0.0, dot = 0.0;
        for (int k = 0; k < outputs.Length; k++)
        {
            mass += labels[k];
            dot += labels[k] * outputs[k];
        }

        for (int k = 0; k < outputs.Length; k++)
        {
            outputGradient[k] = mass * (outputGradient[k] / sum) - labels[k];
        }

        return mass * logSumExp - dot;
    }

    public override string? CheckLabels(ReadOnlySpan<double> labels, out int column)
    {
        double mass = 0.0;
        for (int k = 0; k < labels.Length; k++)
        {
            if (!(labels[k] >= 0.0 && labels[k] <= 1.0))
            {
                column = k;
                return $"is {labels[k]}; SoftmaxCrossEntropy needs each label row to hold class probabilities in [0, 1] (a one-hot row for a class)";
            }

            mass += labels[k];
        }

        column = -1;
        return Math.Abs(mass - 1.0) <= RowSumTolerance
            ? null
            : $"sums to {mass}; SoftmaxCrossEntropy needs each label row to be class probabilities summing to 1 (give a class dataset, whose indices arrive one-hot)";
    }
}
