namespace KanCompile;

/// <summary>The history of a fit, one entry per completed step (pykan's <c>results</c> dictionary).</summary>
public sealed class FitResult
{
    internal FitResult(double[] trainRmse, double[] testRmse, double[] regularization, FitExitReason exitReason, TimeSpan elapsed)
    {
        TrainRmse = trainRmse;
        TestRmse = testRmse;
        Regularization = regularization;
        ExitReason = exitReason;
        Elapsed = elapsed;
    }

    /// <summary>
    /// Training RMSE per step, from the last loss evaluation of the step as pykan logs it (for Adam: before
    /// the update). NaN when the loss is not <see cref="KanLoss.MeanSquaredError"/>: see <see cref="TrainLoss"/>.
    /// </summary>
    public IReadOnlyList<double> TrainRmse { get; }

    /// <summary>Test RMSE per step, after the step's update (NaN when the loss is not <see cref="KanLoss.MeanSquaredError"/>).</summary>
    public IReadOnlyList<double> TestRmse { get; }

    /// <summary>
    /// Regulariser value per step (unweighted by lambda). As in pykan it is only computed when lambda &gt; 0,
    /// and on the last step; other entries are 0.
    /// </summary>
    public IReadOnlyList<double> Regularization { get; }

    /// <summary>The loss the fit minimised (<see cref="FitOptions.Loss"/>).</summary>
    public KanLoss Loss { get; internal init; } = KanLoss.MeanSquaredError;

    /// <summary>Mean training loss per step, from the same evaluation as <see cref="TrainRmse"/> (for MSE its square).</summary>
    public IReadOnlyList<double> TrainLoss { get; internal init; } = [];

    /// <summary>Mean test loss per step, after the step's update.</summary>
    public IReadOnlyList<double> TestLoss { get; internal init; } = [];

    /// <summary>Each of <see cref="FitOptions.Metrics"/> per step, by name (pykan's <c>results[metric.__name__]</c>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double>> Metrics { get; internal init; } = new Dictionary<string, IReadOnlyList<double>>();

    /// <summary>Why the fit stopped.</summary>
    public FitExitReason ExitReason { get; }

    /// <summary>Wall-clock time of the fit.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Steps completed.</summary>
    public int Steps => TrainRmse.Count;
}
