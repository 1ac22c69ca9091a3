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
    /// the update).
    /// </summary>
    public IReadOnlyList<double> TrainRmse { get; }

    /// <summary>Test RMSE per step, after the step's update.</summary>
    public IReadOnlyList<double> TestRmse { get; }

    /// <summary>
    /// Regulariser value per step (unweighted by lambda). As in pykan it is only computed when lambda &gt; 0,
    /// and on the last step; other entries are 0.
    /// </summary>
    public IReadOnlyList<double> Regularization { get; }

    /// <summary>Why the fit stopped.</summary>
    public FitExitReason ExitReason { get; }

    /// <summary>Wall-clock time of the fit.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Steps completed.</summary>
    public int Steps => TrainRmse.Count;
}
