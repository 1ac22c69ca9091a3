namespace KanCompile.Training.Metrics;

/// <summary>The share of samples whose predicted class (<see cref="ClassDecisions"/>) is their label's.</summary>
internal sealed class AccuracyMetric : KanMetric
{
    public AccuracyMetric(string name, KanDataSplit split)
        : base(name, split)
    {
    }

    internal override double Evaluate(ReadOnlySpan<double> outputs, ReadOnlySpan<double> labels, int outputCount, KanLoss loss)
    {
        int count = outputs.Length / outputCount, correct = 0;
        for (int s = 0; s < count; s++)
        {
            ReadOnlySpan<double> y = outputs.Slice(s * outputCount, outputCount), t = labels.Slice(s * outputCount, outputCount);
            if (ClassDecisions.Class(y, loss.Decision) == ClassDecisions.LabelClass(t, loss.Decision))
            {
                correct++;
            }
        }

        return count == 0 ? double.NaN : (double)correct / count;
    }
}
