namespace KanCompile;

/// <summary>
/// Per-column mean and unbiased (N−1) standard deviation of a training split, as pykan's
/// <c>create_dataset(normalize_input/normalize_label=True)</c> computes them; values were standardised as
/// (v − mean)/std. Keep them to map new inputs into, and predictions out of, the normalised space.
/// </summary>
public sealed class ColumnStatistics
{
    private readonly double[] _mean, _standardDeviation;

    internal ColumnStatistics(double[] mean, double[] standardDeviation)
    {
        _mean = mean;
        _standardDeviation = standardDeviation;
    }

    /// <summary>Training-split mean of each column.</summary>
    public IReadOnlyList<double> Mean => _mean;

    /// <summary>Training-split unbiased standard deviation of each column.</summary>
    public IReadOnlyList<double> StandardDeviation => _standardDeviation;

    /// <summary>Computes the statistics of a row-major block of <paramref name="columns"/> columns.</summary>
    internal static ColumnStatistics Of(ReadOnlySpan<double> rows, int columns, string what)
    {
        int count = rows.Length / columns;
        if (count < 2)
        {
            throw new ArgumentException($"Normalising {what} needs at least 2 training samples for a standard deviation; got {count}.");
        }

        var mean = new double[columns];
        var deviation = new double[columns];
        for (int c = 0; c < columns; c++)
        {
            double sum = 0.0;
            for (int s = 0; s < count; s++)
            {
                sum += rows[s * columns + c];
            }

            mean[c] = sum / count;
            double squares = 0.0;
            for (int s = 0; s < count; s++)
            {
                double d = rows[s * columns + c] - mean[c];
                squares += d * d;
            }

            deviation[c] = Math.Sqrt(squares / (count - 1));
            if (!(deviation[c] > 0.0))
            {
                throw new ArgumentException($"Cannot normalise {what}: column {c} is constant on the training split (standard deviation 0).");
            }
        }

        return new ColumnStatistics(mean, deviation);
    }

    /// <summary>Standardises a row-major block in place: (v − mean)/std per column.</summary>
    internal void Apply(Span<double> rows)
    {
        int columns = _mean.Length;
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = (rows[i] - _mean[i % columns]) / _standardDeviation[i % columns];
        }
    }
}
