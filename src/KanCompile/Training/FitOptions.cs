namespace KanCompile;

/// <summary>
/// Settings of <see cref="KanModel.Fit(KanDataset, FitOptions, IProgress{FitProgress}?, CancellationToken)"/>, with
/// pykan 0.2.8's <c>MultKAN.fit</c> names and defaults (kan-math §2.9). Use <c>with</c> to change a few:
/// <c>new FitOptions { Steps = 50, Lambda = 1e-3 }</c>.
/// </summary>
public sealed record FitOptions
{
    /// <summary>pykan's <c>opt</c>: L-BFGS (default) or Adam; also Levenberg–Marquardt (unregularised fits of small models).</summary>
    public KanOptimizer Optimizer { get; init; } = KanOptimizer.LBfgs;

    /// <summary>pykan's <c>steps</c>: optimiser steps (one L-BFGS step is up to 20 iterations).</summary>
    public int Steps { get; init; } = 100;

    /// <summary>pykan's <c>lr</c>: 1 for L-BFGS; Adam uses the same value (pass a smaller one for Adam).</summary>
    public double LearningRate { get; init; } = 1.0;

    /// <summary>pykan's <c>lamb</c>: weight of the regulariser in the objective MSE + Lambda·reg.</summary>
    public double Lambda { get; init; }

    /// <summary>pykan's <c>lamb_l1</c>: weight of the summed edge magnitudes.</summary>
    public double LambdaL1 { get; init; } = 1.0;

    /// <summary>pykan's <c>lamb_entropy</c>: weight of the row and column entropies.</summary>
    public double LambdaEntropy { get; init; } = 2.0;

    /// <summary>pykan's <c>lamb_coef</c>: weight of the mean absolute spline coefficient.</summary>
    public double LambdaCoef { get; init; }

    /// <summary>pykan's <c>lamb_coefdiff</c>: weight of the mean absolute difference of neighbouring coefficients.</summary>
    public double LambdaCoefDiff { get; init; }

    /// <summary>pykan's <c>update_grid</c>: re-grid from the training batch on the schedule below.</summary>
    public bool UpdateGrid { get; init; } = true;

    /// <summary>pykan's <c>grid_update_num</c>: grid updates before <see cref="StopGridUpdateStep"/>.</summary>
    public int GridUpdateCount { get; init; } = 10;

    /// <summary>pykan's <c>start_grid_update_step</c>: no grid update before this step.</summary>
    public int StartGridUpdateStep { get; init; } = -1;

    /// <summary>pykan's <c>stop_grid_update_step</c>: no grid update from this step on.</summary>
    public int StopGridUpdateStep { get; init; } = 50;

    /// <summary>
    /// How far each grid update widens the sample range on each side (<see cref="KanModel.UpdateGrid"/>'s margin):
    /// 0 as pykan 0.2 (the default), 0.01 as pykan 0.0.
    /// </summary>
    public double GridMargin { get; init; }

    /// <summary>pykan's <c>batch</c>: samples per step for training and test, drawn without replacement; -1 = all.</summary>
    public int BatchSize { get; init; } = -1;

    /// <summary>Seed of the batch sampling (only used when <see cref="BatchSize"/> is set).</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Threads that evaluate the loss (default: the processor count). The batch is cut into a fixed number of
    /// chunks (16, or more when more threads are asked for), so the result is bit-identical for any value up to 16.
    /// </summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// pykan's <c>loss_fn</c>: what the fit minimises (plus λ·reg). Default <see cref="KanLoss.MeanSquaredError"/>;
    /// <see cref="KanLoss.SoftmaxCrossEntropy"/> and <see cref="KanLoss.BinaryLogistic"/> train classifiers.
    /// </summary>
    public KanLoss Loss { get; init; } = KanLoss.MeanSquaredError;

    /// <summary>
    /// pykan's <c>metrics</c>: evaluated after every step; their values are in <see cref="FitResult.Metrics"/> and
    /// <see cref="FitProgress.Metrics"/>. For example <see cref="KanMetric.TrainAccuracy"/> and <see cref="KanMetric.TestAccuracy"/>.
    /// </summary>
    public IReadOnlyList<KanMetric> Metrics { get; init; } = [];

    /// <summary>pykan's <c>sb_trainable</c>: false keeps every <c>scale_base</c> bit-unchanged through the fit.</summary>
    public bool ScaleBaseTrainable { get; init; } = true;

    /// <summary>pykan's <c>sp_trainable</c>: false keeps every <c>scale_sp</c> bit-unchanged through the fit.</summary>
    public bool ScaleSplineTrainable { get; init; } = true;

    /// <summary>Steps between grid updates: pykan's <c>int(stop_grid_update_step / grid_update_num)</c>.</summary>
    internal int GridUpdateInterval => StopGridUpdateStep / GridUpdateCount;

    /// <summary>
    /// pykan's schedule: <c>step % interval == 0 and step &lt; stop_grid_update_step and step &gt;= start_grid_update_step</c>
    /// (defaults: steps 0, 5, …, 45).
    /// </summary>
    internal bool IsGridUpdateStep(int step) =>
        UpdateGrid && step % GridUpdateInterval == 0 && step < StopGridUpdateStep && step >= StartGridUpdateStep;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting that cannot work.</summary>
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

        CheckWeight(nameof(Lambda), Lambda);
        if (Optimizer == KanOptimizer.LevenbergMarquardt && Lambda != 0)
        {
            throw Invalid(nameof(Lambda), $"Lambda is {Lambda}, but Levenberg–Marquardt minimises the squared error alone; set Lambda = 0 or use KanOptimizer.LBfgs or Adam for a regularised fit.");
        }

        if (Loss is null)
        {
            throw Invalid(nameof(Loss), "Loss is null; use KanLoss.MeanSquaredError (the default), another KanLoss, or KanLoss.Create.");
        }

        if (Optimizer == KanOptimizer.LevenbergMarquardt && !ReferenceEquals(Loss, KanLoss.MeanSquaredError))
        {
            throw Invalid(nameof(Loss), $"Loss is {Loss.Name}, but Levenberg–Marquardt minimises the squared error alone; use KanOptimizer.LBfgs or Adam for this loss.");
        }

        CheckMetrics();
        CheckWeight(nameof(LambdaL1), LambdaL1);
        CheckWeight(nameof(LambdaEntropy), LambdaEntropy);
        CheckWeight(nameof(LambdaCoef), LambdaCoef);
        CheckWeight(nameof(LambdaCoefDiff), LambdaCoefDiff);
        if (!double.IsFinite(GridMargin) || GridMargin < 0)
        {
            throw Invalid(nameof(GridMargin), $"GridMargin is {GridMargin}; it must be finite and 0 or more (pykan 0.0 used 0.01).");
        }

        if (UpdateGrid)
        {
            if (GridUpdateCount <= 0)
            {
                throw Invalid(nameof(GridUpdateCount), $"GridUpdateCount is {GridUpdateCount}; it must be at least 1 when UpdateGrid is on (or set UpdateGrid = false).");
            }

            if (StopGridUpdateStep < GridUpdateCount)
            {
                throw Invalid(nameof(StopGridUpdateStep),
                    $"StopGridUpdateStep ({StopGridUpdateStep}) is smaller than GridUpdateCount ({GridUpdateCount}), so the interval between grid updates, "
                    + "StopGridUpdateStep / GridUpdateCount, would be 0 (pykan fails with a modulo by zero). Raise StopGridUpdateStep, lower GridUpdateCount or set UpdateGrid = false.");
            }
        }

        if (BatchSize == 0 || BatchSize < -1)
        {
            throw Invalid(nameof(BatchSize), $"BatchSize is {BatchSize}; use -1 for the full batch or a positive sample count.");
        }

        if (MaxDegreeOfParallelism < 1)
        {
            throw Invalid(nameof(MaxDegreeOfParallelism), $"MaxDegreeOfParallelism is {MaxDegreeOfParallelism}; it must be at least 1.");
        }
    }

    private void CheckMetrics()
    {
        if (Metrics is null)
        {
            throw Invalid(nameof(Metrics), "Metrics is null; leave it empty for none.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int m = 0; m < Metrics.Count; m++)
        {
            if (Metrics[m] is not KanMetric metric)
            {
                throw Invalid(nameof(Metrics), $"Metrics[{m}] is null.");
            }

            if (!names.Add(metric.Name))
            {
                throw Invalid(nameof(Metrics), $"two metrics are named '{metric.Name}'; FitResult.Metrics keys them by name, so give each its own.");
            }
        }
    }

    private static void CheckWeight(string name, double value)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw Invalid(name, $"{name} is {value}; a regularisation weight must be finite and not negative.");
        }
    }

    private static ArgumentException Invalid(string name, string message) => new($"Invalid FitOptions.{name}: {message}", "options");
}
