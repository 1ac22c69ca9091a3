namespace KanCompile;

/// <summary>What a fit reports after each step.</summary>
/// <param name="Step">Steps completed so far (1-based).</param>
/// <param name="TotalSteps">Steps requested.</param>
/// <param name="TrainRmse">Root-mean-square error on the training batch (pykan's <c>train_loss</c>); NaN when the loss is not mean squared error.</param>
/// <param name="TestRmse">Root-mean-square error on the test batch (pykan's <c>test_loss</c>); NaN when the loss is not mean squared error.</param>
/// <param name="Regularization">The regulariser's value, unweighted by lambda (pykan's <c>reg</c>).</param>
/// <param name="Elapsed">Time since the fit started.</param>
public readonly record struct FitProgress(int Step, int TotalSteps, double TrainRmse, double TestRmse, double Regularization, TimeSpan Elapsed)
{
    private static readonly IReadOnlyDictionary<string, double> NoMetrics = new Dictionary<string, double>();

    /// <summary>Mean loss on the training batch (<see cref="FitOptions.Loss"/>; for MSE the square of <see cref="TrainRmse"/>).</summary>
    public double TrainLoss { get; init; }

    /// <summary>Mean loss on the test batch.</summary>
    public double TestLoss { get; init; }

    /// <summary>The step's value of every metric in <see cref="FitOptions.Metrics"/>, by name (empty without metrics).</summary>
    public IReadOnlyDictionary<string, double> Metrics
    {
        get => _metrics ?? NoMetrics;
        init => _metrics = value;
    }

    private readonly IReadOnlyDictionary<string, double>? _metrics;
}
