namespace KanCompile.Training.Metrics;

/// <summary>
/// A fit's metrics: evaluated after every step on the step's batches (the test batch's outputs are the ones the test
/// loss was measured on; the training batch gets one forward pass when a metric reads it), kept per step.
/// </summary>
internal sealed class FitMetrics
{
    private static readonly IReadOnlyDictionary<string, double> None = new Dictionary<string, double>();

    private readonly IReadOnlyList<KanMetric> _metrics;
    private readonly double[][] _values;
    private readonly double[]? _trainOutputs;
    private readonly int _outputCount;

    public FitMetrics(IReadOnlyList<KanMetric> metrics, int steps, int outputCount, int trainBatch)
    {
        _metrics = metrics;
        _outputCount = outputCount;
        _values = metrics.Select(_ => new double[steps]).ToArray();
        HasCallbacks = metrics.Any(m => m.Split is null);
        if (metrics.Any(m => m.Split == KanDataSplit.Train))
        {
            _trainOutputs = new double[trainBatch * outputCount];
        }
    }

    public bool Any => _metrics.Count > 0;

    /// <summary>True when some metric is a callback that reads the model itself.</summary>
    public bool HasCallbacks { get; }

    /// <summary>Evaluates every metric for <paramref name="step"/>; call right after the step's test loss.</summary>
    public void Evaluate(int step, KanObjective objective, KanLoss loss, BatchSampler train, BatchSampler test)
    {
        ReadOnlySpan<double> testOutputs = objective.LastOutputs;
        if (_trainOutputs is not null)
        {
            objective.MeanLoss(train.Inputs, train.Labels, train.BatchSize, _trainOutputs);
        }

        for (int m = 0; m < _metrics.Count; m++)
        {
            KanMetric metric = _metrics[m];
            _values[m][step] = metric.Split switch
            {
                KanDataSplit.Train => metric.Evaluate(_trainOutputs.AsSpan(0, train.BatchSize * _outputCount), train.Labels.Span, _outputCount, loss),
                KanDataSplit.Test => metric.Evaluate(testOutputs, test.Labels.Span, _outputCount, loss),
                _ => metric.Evaluate(default, default, _outputCount, loss),
            };
        }
    }

    /// <summary>The values of <paramref name="step"/> by metric name (an empty map without metrics).</summary>
    public IReadOnlyDictionary<string, double> Latest(int step)
    {
        if (!Any)
        {
            return None;
        }

        var latest = new Dictionary<string, double>(_metrics.Count, StringComparer.Ordinal);
        for (int m = 0; m < _metrics.Count; m++)
        {
            latest[_metrics[m].Name] = _values[m][step];
        }

        return latest;
    }

    /// <summary>Every metric's values over the first <paramref name="completed"/> steps, by name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double>> History(int completed)
    {
        var history = new Dictionary<string, IReadOnlyList<double>>(_metrics.Count, StringComparer.Ordinal);
        for (int m = 0; m < _metrics.Count; m++)
        {
            history[_metrics[m].Name] = _values[m].AsSpan(0, completed).ToArray();
        }

        return history;
    }
}
