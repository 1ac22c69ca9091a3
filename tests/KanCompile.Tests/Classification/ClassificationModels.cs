namespace KanCompile.Tests.Classification;

/// <summary>A three-class classifier shape (one logit per class), compiled by the generator.</summary>
[KanModel(2, 4, 3, GridSize = 5, SplineOrder = 3)]
public partial class Classifier243 { }

/// <summary>pykan's two-moons cross-entropy shape: [2,2] on grid 3.</summary>
[KanModel(2, 2, GridSize = 3, SplineOrder = 3)]
public partial class Moons22 { }

/// <summary>pykan's two-moons regression shape: [2,1] on grid 3.</summary>
[KanModel(2, 1, GridSize = 3, SplineOrder = 3)]
public partial class Moons21 { }

/// <summary>Losses and labels the classification tests share.</summary>
internal static class TestLosses
{
    /// <summary>A user loss: pseudo-Huber Σ (√(1 + (y − t)²) − 1), gradient (y − t)/√(1 + (y − t)²).</summary>
    public static readonly KanLoss PseudoHuber = KanLoss.Create("pseudo_huber", (y, t, g) =>
    {
        double sum = 0.0;
        for (int o = 0; o < y.Length; o++)
        {
            double r = y[o] - t[o], root = Math.Sqrt(1.0 + r * r);
            sum += root - 1.0;
            g[o] = r / root;
        }

        return sum;
    });

    /// <summary>Labels a loss accepts: probability rows for cross-entropy, values in [0, 1] for logistic, anything else uniform in [−1, 1].</summary>
    public static double[] Labels(KanLoss loss, int count, int outputs, Random random)
    {
        var labels = new double[count * outputs];
        for (int s = 0; s < count; s++)
        {
            Span<double> row = labels.AsSpan(s * outputs, outputs);
            for (int o = 0; o < outputs; o++)
            {
                row[o] = ReferenceEquals(loss, KanLoss.SoftmaxCrossEntropy) || ReferenceEquals(loss, KanLoss.BinaryLogistic)
                    ? random.NextDouble()
                    : 2 * random.NextDouble() - 1;
            }

            if (ReferenceEquals(loss, KanLoss.SoftmaxCrossEntropy))
            {
                double sum = 0.0;
                foreach (double v in row)
                {
                    sum += v;
                }

                for (int o = 0; o < outputs; o++)
                {
                    row[o] /= sum;
                }
            }
        }

        return labels;
    }

    public static KanLoss ByName(string name) => name switch
    {
        "cross_entropy" => KanLoss.SoftmaxCrossEntropy,
        "logistic" => KanLoss.BinaryLogistic,
        "pseudo_huber" => PseudoHuber,
        _ => KanLoss.MeanSquaredError,
    };
}
