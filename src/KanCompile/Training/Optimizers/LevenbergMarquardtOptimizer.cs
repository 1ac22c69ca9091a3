using KanCompile.Numerics;
using KanCompile.Symbolic.Discovery;

namespace KanCompile.Training.Optimizers;

/// <summary>
/// Levenberg–Marquardt on the squared error of the current training batch: one step is up to
/// <see cref="IterationsPerStep"/> damped Gauss–Newton iterations (as one L-BFGS step is up to 20 iterations).
/// Marquardt's diagonal scaling makes the step independent of how each parameter is scaled, so it converges where
/// L-BFGS stalls on badly scaled or redundant parameters — for example the affine (a, b, c, d) that fit_params
/// leaves at the border of its search box after symbolic fixing — and it converges quadratically to an exact formula.
/// It solves a dense system in the trainable values, so it suits small models (after pruning or symbolic fixing).
/// </summary>
internal sealed class LevenbergMarquardtOptimizer : IFitOptimizer
{
    /// <summary>Gauss–Newton iterations per fit step at most.</summary>
    public const int IterationsPerStep = 20;

    /// <summary>Largest trainable vector the dense normal equations are built for.</summary>
    public const int MaxParameterCount = 4096;

    /// <summary>Largest Jacobian (residuals × trainable values) held in memory.</summary>
    public const long MaxJacobianLength = 1L << 25;

    private readonly ModelLeastSquares _problem;
    private readonly BatchSampler _batch;
    private readonly double[] _gradient;
    private readonly CancellationToken _cancellationToken;

    public LevenbergMarquardtOptimizer(KanModel model, int parameterCount, BatchSampler batch, FrozenParameters frozen, CancellationToken cancellationToken)
    {
        long jacobianLength = (long)batch.BatchSize * model.OutputCount * parameterCount;
        if (parameterCount > MaxParameterCount || jacobianLength > MaxJacobianLength)
        {
            throw new ArgumentException(
                $"Invalid FitOptions.Optimizer: Levenberg–Marquardt solves a dense system in the {parameterCount} trainable values over {batch.BatchSize} samples "
                + $"(at most {MaxParameterCount} values and {MaxJacobianLength} Jacobian entries). Prune the model or fix edges symbolically first, use a smaller BatchSize, or use KanOptimizer.LBfgs.",
                "options");
        }

        _problem = new ModelLeastSquares(model, parameterCount, batch.BatchSize, frozen);
        _batch = batch;
        _gradient = new double[parameterCount];
        _cancellationToken = cancellationToken;
    }

    public bool Step(Span<double> parameters, IOptimizerObjective objective)
    {
        _problem.Bind(parameters, _batch.Inputs, _batch.Labels, _batch.BatchSize);
        LevenbergMarquardt.Train(_problem, IterationsPerStep, _cancellationToken);
        _problem.Parameters.CopyTo(parameters);

        // One evaluation at the new point: the fit's train RMSE, its best-point bookkeeping and its stop checks.
        return objective.TryEvaluate(_gradient, out _);
    }
}
