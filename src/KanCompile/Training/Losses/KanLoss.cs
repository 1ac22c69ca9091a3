using KanCompile.Training.Losses;

namespace KanCompile;

/// <summary>
/// The loss a fit minimises, one sample at a time: its value and its gradient with respect to the model's outputs
/// (pykan's <c>loss_fn</c>). The batch kernels call it once per sample between their forward and backward passes, so
/// every loss trains on the vectorised batch path; the objective is the mean of the per-sample values (over samples,
/// or over every output value for <see cref="MeanSquaredError"/>, as pykan's and PyTorch's <c>MSELoss</c>).
/// Built in: <see cref="MeanSquaredError"/> (the default), <see cref="SoftmaxCrossEntropy"/> and
/// <see cref="BinaryLogistic"/>; <see cref="Create"/> wraps your own.
/// </summary>
public abstract class KanLoss
{
    /// <summary>Creates a loss.</summary>
    /// <param name="name">Shown in progress reports and results.</param>
    /// <param name="averagesOverOutputs">True: the objective divides the summed per-sample values by samples × outputs; false: by samples.</param>
    protected KanLoss(string name, bool averagesOverOutputs = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        AveragesOverOutputs = averagesOverOutputs;
        RestrictsLabels = GetType().GetMethod(nameof(CheckLabels))!.DeclaringType != typeof(KanLoss);
    }

    /// <summary>Whether this loss rules out some labels (overrides <see cref="CheckLabels"/>); a fit checks every label row only then.</summary>
    internal bool RestrictsLabels { get; }

    /// <summary>
    /// Σ_o (y_o − t_o)² per sample, averaged over every output value: pykan's default and <c>torch.nn.MSELoss()</c>.
    /// Labels are the targets, one per output.
    /// </summary>
    public static KanLoss MeanSquaredError { get; } = new MeanSquaredErrorLoss();

    /// <summary>
    /// −Σ_k t_k·log softmax(y)_k per sample, averaged over samples: <c>torch.nn.CrossEntropyLoss()</c>, one output (logit)
    /// per class. Labels are a row of K class probabilities; a class dataset's indices arrive one-hot.
    /// </summary>
    public static KanLoss SoftmaxCrossEntropy { get; } = new SoftmaxCrossEntropyLoss();

    /// <summary>
    /// log(1 + e^y) − t·y per sample, averaged over samples: <c>torch.nn.BCEWithLogitsLoss()</c>, one output (the logit of
    /// class 1). Labels are t in [0, 1] (class 0 or 1).
    /// </summary>
    public static KanLoss BinaryLogistic { get; } = new BinaryLogisticLoss();

    /// <summary>
    /// Your own loss from a function that returns one sample's value and writes its gradient dL/dy. It is called once per
    /// sample on the training threads, so it must be thread-safe and should not allocate.
    /// </summary>
    /// <param name="name">Shown in progress reports and results.</param>
    /// <param name="function">The per-sample value and gradient.</param>
    /// <param name="averagesOverOutputs">As for the constructor: divide by samples × outputs instead of samples.</param>
    public static KanLoss Create(string name, KanLossFunction function, bool averagesOverOutputs = false) =>
        new DelegateLoss(name, function, averagesOverOutputs);

    /// <summary>The loss's name (<c>"mse"</c>, <c>"cross_entropy"</c>, <c>"logistic"</c>, or the one given).</summary>
    public string Name { get; }

    /// <summary>Whether the objective averages over every output value (true) or over samples (false).</summary>
    public bool AveragesOverOutputs { get; }

    /// <summary>
    /// One sample: returns its loss and <b>writes</b> dL/dy into <paramref name="outputGradient"/> (one value per output).
    /// </summary>
    /// <param name="outputs">The model's outputs y for the sample.</param>
    /// <param name="labels">The sample's labels (one per output).</param>
    /// <param name="outputGradient">Receives dL/dy.</param>
    public abstract double Evaluate(ReadOnlySpan<double> outputs, ReadOnlySpan<double> labels, Span<double> outputGradient);

    /// <summary>
    /// Why one sample's labels cannot be used with this loss (for example "is 2; BinaryLogistic needs a label in [0, 1]"),
    /// or null when they can. Checked once per fit, before training, so a bad label is reported by sample and column.
    /// </summary>
    /// <param name="labels">The sample's labels.</param>
    /// <param name="column">The column the problem is in, when it is one column.</param>
    public virtual string? CheckLabels(ReadOnlySpan<double> labels, out int column)
    {
        column = -1;
        return null;
    }

    /// <summary>How outputs become a class under this loss (for accuracy and class predictions).</summary>
    internal virtual KanClassDecision Decision => KanClassDecision.NearestIndex;

    /// <inheritdoc/>
    public override string ToString() => Name;
}
