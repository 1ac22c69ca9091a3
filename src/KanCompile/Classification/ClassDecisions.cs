using KanCompile.Symbolic;
using KanCompile.Training.Losses;

namespace KanCompile;

/// <summary>How outputs and label rows become class indices and probabilities under a <see cref="KanClassDecision"/>: one definition for accuracy, prediction and export.</summary>
internal static class ClassDecisions
{
    /// <summary>
    /// The class the outputs of one sample predict: the largest output when there are several (ties: the first),
    /// else y &gt; 0 for <see cref="KanClassDecision.Logistic"/> and round(y) (half to even, as torch.round) for
    /// <see cref="KanClassDecision.NearestIndex"/>, clamped to [0, <paramref name="classCount"/>) when that is given.
    /// </summary>
    public static int Class(ReadOnlySpan<double> outputs, KanClassDecision decision, int classCount = int.MaxValue)
    {
        if (outputs.Length > 1)
        {
            return SymbolicFit.ArgMax(outputs);
        }

        double y = outputs[0];
        if (decision == KanClassDecision.Logistic)
        {
            return y > 0.0 ? 1 : 0;
        }

        double nearest = Math.Round(y, MidpointRounding.ToEven);
        return nearest <= 0.0 || double.IsNaN(nearest) ? 0 : nearest >= classCount - 1 ? classCount - 1 : (int)nearest;
    }

    /// <summary>The class a label row stands for: the largest entry of a one-hot (or probability) row, else t ≥ 0.5 for a logistic label, else round(t).</summary>
    public static int LabelClass(ReadOnlySpan<double> labels, KanClassDecision decision)
    {
        if (labels.Length > 1)
        {
            return SymbolicFit.ArgMax(labels);
        }

        return decision == KanClassDecision.Logistic
            ? labels[0] >= 0.5 ? 1 : 0
            : (int)Math.Round(labels[0], MidpointRounding.ToEven);
    }

    /// <summary>
    /// Writes the class probabilities of one sample's outputs into <paramref name="probabilities"/> (one per class):
    /// softmax(y), or [1 − σ(y), σ(y)]. Returns false for <see cref="KanClassDecision.NearestIndex"/>, which has none.
    /// </summary>
    public static bool Probabilities(ReadOnlySpan<double> outputs, KanClassDecision decision, Span<double> probabilities)
    {
        switch (decision)
        {
            case KanClassDecision.Softmax:
                double max = double.NegativeInfinity;
                foreach (double y in outputs)
                {
                    max = Math.Max(max, y);
                }

                double sum = 0.0;
                for (int k = 0; k < outputs.Length; k++)
                {
                    probabilities[k] = Math.Exp(outputs[k] - max);
                    sum += probabilities[k];
                }

                for (int k = 0; k < outputs.Length; k++)
                {
                    probabilities[k] /= sum;
                }

                return true;
            case KanClassDecision.Logistic:
                double p = BinaryLogisticLoss.Sigmoid(outputs[0]);
                probabilities[0] = 1.0 - p;
                probabilities[1] = p;
                return true;
            default:
                return false;
        }
    }
}
