namespace KanCompile;

/// <summary>
/// A metric of a batch (<see cref="KanMetric.Create(string, KanDataSplit, KanMetricFunction)"/>): the model's outputs and
/// the labels, row-major with <paramref name="outputCount"/> values per sample.
/// </summary>
public delegate double KanMetricFunction(ReadOnlySpan<double> outputs, ReadOnlySpan<double> labels, int outputCount);
