namespace KanCompile;

/// <summary>
/// One sample of a loss (<see cref="KanLoss.Create"/>): returns the sample's loss and <b>writes</b> dL/dy into
/// <paramref name="outputGradient"/>.
/// </summary>
/// <param name="outputs">The model's outputs y for the sample.</param>
/// <param name="labels">The sample's labels, one per output.</param>
/// <param name="outputGradient">Receives dL/dy, one value per output.</param>
public delegate double KanLossFunction(ReadOnlySpan<double> outputs, ReadOnlySpan<double> labels, Span<double> outputGradient);
