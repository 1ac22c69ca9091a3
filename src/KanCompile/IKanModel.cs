namespace KanCompile;

/// <summary>
/// A Kolmogorov-Arnold Network: a learnable 1-D function on every edge (B-spline plus residual), sums at the
/// nodes. Implemented by generated models (<see cref="KanModelAttribute"/>) and by <see cref="KanNetwork"/>,
/// with the same parameter layout.
/// </summary>
public interface IKanModel
{
    /// <summary>Number of inputs (first width).</summary>
    int InputCount { get; }

    /// <summary>Number of outputs (last width).</summary>
    int OutputCount { get; }

    /// <summary>Node counts per layer, inputs first.</summary>
    IReadOnlyList<int> Widths { get; }

    /// <summary>Current number of grid intervals G.</summary>
    int GridSize { get; }

    /// <summary>Spline order k.</summary>
    int SplineOrder { get; }

    /// <summary>Length of <see cref="Parameters"/>.</summary>
    int ParameterCount { get; }

    /// <summary>
    /// Every trainable parameter as one flat span, layer after layer: the spline coefficients
    /// <c>coef[in][out][G+k]</c>, then <c>scale_base[in][out]</c>, then <c>scale_sp[in][out]</c>
    /// (pykan's index order: input node, output node, coefficient). Writes go straight into the model.
    /// </summary>
    Span<double> Parameters { get; }

    /// <summary>Evaluates one sample.</summary>
    /// <param name="input">Exactly <see cref="InputCount"/> values.</param>
    /// <param name="output">At least <see cref="OutputCount"/> values; the first <see cref="OutputCount"/> are written.</param>
    void Forward(ReadOnlySpan<double> input, Span<double> output);

    /// <summary>Evaluates a row-major batch (rows of <see cref="InputCount"/> values), using all cores when the batch is large.</summary>
    void Predict(ReadOnlySpan<double> inputs, Span<double> outputs);

    /// <summary>
    /// Backpropagates one sample: for the output gradient dL/dy, <b>adds</b> dL/dθ into
    /// <paramref name="parameterGradient"/> and <b>writes</b> dL/dx into <paramref name="inputGradient"/>
    /// (skipped when that span is empty).
    /// </summary>
    void Backward(ReadOnlySpan<double> input, ReadOnlySpan<double> outputGradient, Span<double> parameterGradient, Span<double> inputGradient);
}
