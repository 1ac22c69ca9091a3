namespace KanCompile.Pde;

/// <summary>
/// Settings of <see cref="KanModel.FitPde"/>. The defaults are pykan's PDE tutorial (<c>Example_7_PDE_accuracy</c>): 50
/// L-BFGS steps (each up to 20 iterations, strong-Wolfe line search, history 10), the grid re-fitted to the interior
/// points at steps 0, 5, 10 and 15.
/// </summary>
public sealed record PdeFitOptions
{
    /// <summary>L-BFGS (default), Adam or Levenberg–Marquardt (Gauss–Newton on the residuals; dense in the parameters, so for small models).</summary>
    public KanOptimizer Optimizer { get; init; } = KanOptimizer.LBfgs;

    /// <summary>Optimiser steps.</summary>
    public int Steps { get; init; } = 50;

    /// <summary>Learning rate: 1 for L-BFGS (its line search scales it); pass a smaller one (1e-3) for Adam.</summary>
    public double LearningRate { get; init; } = 1.0;

    /// <summary>Re-fit the grid to the interior points (pykan's <c>update_grid_from_samples</c>) on the schedule below.</summary>
    public bool UpdateGrid { get; init; } = true;

    /// <summary>Grid updates before <see cref="StopGridUpdateStep"/>, evenly spaced (pykan's <c>grid_update_num</c>).</summary>
    public int GridUpdateCount { get; init; } = 4;

    /// <summary>No grid update from this step on.</summary>
    public int StopGridUpdateStep { get; init; } = 20;

    /// <summary>
    /// Draw the random and low-discrepancy collocation sets afresh every this many steps (0: never). Meshes and given points
    /// stay. L-BFGS restarts its curvature history after a redraw (the objective changed).
    /// </summary>
    public int ResampleEvery { get; init; }

    /// <summary>Seed of the redraws (the initial points carry their own seeds).</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Threads that evaluate the loss (default: the processor count). The points are cut into 16 fixed chunks reduced in
    /// order, so the result is bit-identical for any value up to 16.
    /// </summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    internal bool IsGridUpdateStep(int step) =>
        UpdateGrid && step % (StopGridUpdateStep / GridUpdateCount) == 0 && step < StopGridUpdateStep;

    internal bool IsResampleStep(int step) => ResampleEvery > 0 && step > 0 && step % ResampleEvery == 0;

    internal void Validate()
    {
        if (!Enum.IsDefined(Optimizer))
        {
            throw Invalid(nameof(Optimizer), $"{Optimizer} is not a KanOptimizer value.");
        }

        if (Steps < 0)
        {
            throw Invalid(nameof(Steps), $"Steps is {Steps}; it must be 0 or more.");
        }

        if (!double.IsFinite(LearningRate) || LearningRate <= 0)
        {
            throw Invalid(nameof(LearningRate), $"LearningRate is {LearningRate}; it must be a positive finite number.");
        }

        if (UpdateGrid && (GridUpdateCount <= 0 || StopGridUpdateStep < GridUpdateCount))
        {
            throw Invalid(nameof(GridUpdateCount),
                $"GridUpdateCount is {GridUpdateCount} and StopGridUpdateStep {StopGridUpdateStep}: updates are every StopGridUpdateStep / GridUpdateCount steps, which must be at least 1 (or set UpdateGrid = false).");
        }

        if (ResampleEvery < 0)
        {
            throw Invalid(nameof(ResampleEvery), $"ResampleEvery is {ResampleEvery}; use 0 (never) or a positive step count.");
        }

        if (MaxDegreeOfParallelism < 1)
        {
            throw Invalid(nameof(MaxDegreeOfParallelism), $"MaxDegreeOfParallelism is {MaxDegreeOfParallelism}; it must be at least 1.");
        }
    }

    private static ArgumentException Invalid(string name, string message) => new($"Invalid PdeFitOptions.{name}: {message}", "options");
}

/// <summary>What a PDE fit reports after each step.</summary>
/// <param name="Step">Steps completed so far (1-based).</param>
/// <param name="TotalSteps">Steps requested.</param>
/// <param name="Loss">The weighted loss Σ weight·mean R² at the step's last evaluation.</param>
/// <param name="TermMeanSquares">Each term's mean R² (unweighted), in the problem's order (pykan's "pde loss", "bc loss").</param>
/// <param name="Elapsed">Time since the fit started.</param>
public readonly record struct PdeFitProgress(int Step, int TotalSteps, double Loss, IReadOnlyList<double> TermMeanSquares, TimeSpan Elapsed);

/// <summary>The history of a PDE fit, one entry per completed step.</summary>
public sealed class PdeFitResult
{
    internal PdeFitResult(double[] loss, double[][] termMeanSquares, IReadOnlyList<string> termNames, FitExitReason exitReason, TimeSpan elapsed)
    {
        Loss = loss;
        TermMeanSquares = termMeanSquares;
        TermNames = termNames;
        ExitReason = exitReason;
        Elapsed = elapsed;
    }

    /// <summary>The weighted loss per step.</summary>
    public IReadOnlyList<double> Loss { get; }

    /// <summary>Per step, each term's mean R² (unweighted), in the order of <see cref="TermNames"/>.</summary>
    public IReadOnlyList<IReadOnlyList<double>> TermMeanSquares { get; }

    /// <summary>The terms' names.</summary>
    public IReadOnlyList<string> TermNames { get; }

    /// <summary>Why the fit stopped; on cancellation or a non-finite loss the model holds the best parameters seen.</summary>
    public FitExitReason ExitReason { get; }

    /// <summary>Wall-clock time of the fit.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Steps completed.</summary>
    public int Steps => Loss.Count;
}
