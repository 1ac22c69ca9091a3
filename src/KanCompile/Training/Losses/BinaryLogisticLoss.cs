namespace KanCompile.Training.Losses;

/// <summary>
/// log(1 + e^y) − t·y, with gradient σ(y) − t, for a single logit. The softplus is written as
/// max(y, 0) + log(1 + e^−|y|), which neither overflows for large |y| nor loses precision near 0.
/// </summary>
internal sealed class BinaryLogisticLoss : KanLoss
{
    public BinaryLogisticLoss()
        : base("logistic")
    {
    }

    internal override KanClassDecision Decision => KanClassDecision.Logistic;

    public override double Evaluate(ReadOnlySpan<double> outputs, ReadOnlySpan<double> labels, Span<double> outputGradient)
    {
        double sum = 0.0;
        for (int o = 0; o < outputs.Length; o++)
        {
            double y = outputs[o], t = labels[o];
            sum += Math.Max(y, 0.0) + Math.Log(1.0 + Math.Exp(-Math.Abs(y))) - t * y;
            outputGradient[o] = Sigmoid(y) - t;
        }

        return sum;
    }

    public override string? CheckLabels(ReadOnlySpan<double> labels, out int column)
    {
        for (int o = 0; o < labels.Length; o++)
        {
            if (!(labels[o] >= 0.0 && labels[o] <= 1.0))
            {
                column = o;
                return $"is {labels[o]}; BinaryLogistic needs labels in [0, 1] (class 0 or 1; for more classes use SoftmaxCrossEntropy with one output per class)";
            }
        }

        column = -1;
        return null;
    }

    /// <summary>1 / (1 + e^−y) without overflow for either sign.</summary>
    internal static double Sigmoid(double y)
    {
        if (y >= 0.0)
        {
            return 1.0 / (1.0 + Math.Exp(-y));
        }

        double e = Math.Exp(y);
        return e / (1.0 + e);
    }
}
