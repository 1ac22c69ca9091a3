using KanCompile.Numerics;
using System.Diagnostics;
using KanCompile.Pde;
using KanCompile.Symbolic.Discovery;
using KanCompile.Training;
using KanCompile.Training.Optimizers;

namespace KanCompile;

public abstract partial class KanModel
{
    /// <summary>
    /// Solves a PDE: trains the model as a physics-informed network on <paramref name="problem"/>'s loss,
    /// Σ_terms weight·mean R² (pykan's <c>alpha * pde_loss + bc_loss</c>). Each step may re-fit the grid to the interior
    /// points (pykan's <c>update_grid_from_samples</c>) and redraw random collocation sets, then takes one optimiser step.
    /// The derivatives inside the residuals are exact and the gradient is the adjoint of the derivative pass, on all cores
    /// with a fixed chunking: the same seeds give the same bits for any thread count. Afterwards
    /// <see cref="LastFitInputs"/> holds the interior points, so <see cref="Refine(int)"/> (grid extension) and the symbolic
    /// tools work on the solution as after <c>Fit</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The model's inputs are not the problem's dimensions, or a setting cannot work.</exception>
    /// <exception cref="InvalidOperationException">A residual returned NaN or ∞ where the model's values are finite (the message names the term and the point).</exception>
    public PdeFitResult FitPde(PdeProblem problem, PdeFitOptions? options = null, IProgress<PdeFitProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(problem);
        options ??= new PdeFitOptions();
        options.Validate();
        CheckPdeShape(problem);

        long started = Stopwatch.GetTimestamp();
        var loss = new PdeLoss(problem, OutputCount);
        using var workers = ChunkWorkers.Rent(Math.Min(options.MaxDegreeOfParallelism, Math.Max(1, Math.Min(InputDerivativeLossEvaluator.ChunkCount, loss.Count))));
        bool symbolic = HasSymbolicEdges;
        double[] trainable = symbolic ? GatherTrainable() : ParameterBuffer;
        var objective = new PdeObjective(this, loss, workers, trainable, cancellationToken);
        PdeLeastSquares? leastSquares = options.Optimizer == KanOptimizer.LevenbergMarquardt ? CreateLeastSquares(loss, workers, trainable) : null;
        IFitOptimizer optimizer = CreatePdeOptimizer(options, trainable.Length, leastSquares, cancellationToken);

        var lossHistory = new double[options.Steps];
        var termHistory = new double[options.Steps][];
        var reason = FitExitReason.Completed;
        int completed = 0;
        objective.ResetBest();
        for (int step = 0; step < options.Steps; step++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                reason = FitExitReason.Cancelled;
                break;
            }

            bool changed = false;
            if (options.IsResampleStep(step))
            {
                loss.Bind(loss.Terms.Select((term, t) => term.WithPoints(term.Points.Resampled(RedrawSeed(options.Seed, step, t)))).ToArray());
                changed = true;
            }

            if (options.IsGridUpdateStep(step))
            {
                // A grid update may replace the parameter array (and with symbolic edges the trainable vector is a copy).
                if (symbolic)
                {
                    ScatterTrainable(trainable);
                    UpdateGrid(loss.GridSamples);
                    ParameterBuffer.CopyTo(trainable, 0);
                }
                else
                {
                    UpdateGrid(loss.GridSamples);
                    trainable = ParameterBuffer;
                }

                objective.Trainable = trainable;
                if (leastSquares is not null)
                {
                    leastSquares.Trainable = trainable;
                }

                changed = true;
            }

            if (changed)
            {
                objective.ResetBest();
                if (options.Optimizer == KanOptimizer.LBfgs && options.IsResampleStep(step))
                {
                    optimizer = CreatePdeOptimizer(options, trainable.Length, leastSquares, cancellationToken);
                }
            }

            if (!optimizer.Step(trainable, objective))
            {
                reason = objective.Cancelled ? FitExitReason.Cancelled : FitExitReason.NonFiniteLoss;
                break;
            }

            lossHistory[step] = objective.LastValue;
            termHistory[step] = Enumerable.Range(0, loss.Terms.Count).Select(loss.MeanSquaredResidual).ToArray();
            completed = step + 1;
            progress?.Report(new PdeFitProgress(completed, options.Steps, lossHistory[step], termHistory[step], Stopwatch.GetElapsedTime(started)));
        }

        if (reason != FitExitReason.Completed)
        {
            objective.RestoreBest(trainable);
        }

        if (symbolic)
        {
            ScatterTrainable(trainable);
        }

        LastFitInputs = (double[])loss.GridSamples.Clone();
        Array.Resize(ref lossHistory, completed);
        Array.Resize(ref termHistory, completed);
        return new PdeFitResult(lossHistory, termHistory, loss.Terms.Select(t => t.Name).ToArray(), reason, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>The seed of term <paramref name="term"/>'s redraw at <paramref name="step"/>: fixed arithmetic, the same in every process.</summary>
    private static int RedrawSeed(int seed, int step, int term) => unchecked((seed * 1_000_003) + (step * 7_919) + term);

    private void CheckPdeShape(PdeProblem problem)
    {
        if (problem.Dimensions != InputCount)
        {
            throw new ArgumentException(
                $"The model has {InputCount} inputs but the problem's domain has {problem.Dimensions} dimensions; the inputs are the coordinates (time included), so declare the model with widths [{problem.Dimensions}, …].",
                nameof(problem));
        }

        foreach (PdeTerm term in problem.Terms)
        {
            if (term.DeclaredOutput >= OutputCount)
            {
                throw new ArgumentException($"Term '{term.Name}' constrains output {term.DeclaredOutput}, but the model has {OutputCount} output(s).", nameof(problem));
            }
        }
    }

    private PdeLeastSquares CreateLeastSquares(PdeLoss loss, ChunkWorkers workers, double[] trainable)
    {
        long jacobianLength = (long)loss.Count * PdeLeastSquares.RowCapacity(this, trainable.Length);
        if (trainable.Length > LevenbergMarquardtOptimizer.MaxParameterCount || jacobianLength > LevenbergMarquardtOptimizer.MaxJacobianLength)
        {
            throw new ArgumentException(
                $"Invalid PdeFitOptions.Optimizer: Levenberg–Marquardt solves a dense system in the {trainable.Length} trainable values over {loss.Count} collocation points "
                + $"(at most {LevenbergMarquardtOptimizer.MaxParameterCount} values and {LevenbergMarquardtOptimizer.MaxJacobianLength} non-zero Jacobian entries). Use fewer points or a smaller grid, or KanOptimizer.LBfgs.",
                "options");
        }

        return new PdeLeastSquares(this, loss, workers, trainable);
    }

    private static IFitOptimizer CreatePdeOptimizer(PdeFitOptions options, int length, PdeLeastSquares? leastSquares, CancellationToken cancellationToken) => options.Optimizer switch
    {
        KanOptimizer.Adam => new AdamOptimizer(length, options.LearningRate),
        KanOptimizer.LevenbergMarquardt => new PdeLevenbergMarquardt(leastSquares!, cancellationToken),
        _ => new LbfgsOptimizer(length, options.LearningRate),
    };

    /// <summary>One step: up to 20 damped Gauss–Newton iterations on the residuals, then one evaluation for the bookkeeping.</summary>
    private sealed class PdeLevenbergMarquardt(PdeLeastSquares problem, CancellationToken cancellationToken) : IFitOptimizer
    {
        private double[] _gradient = [];

        public bool Step(Span<double> parameters, IOptimizerObjective objective)
        {
            LevenbergMarquardt.Train(problem, LevenbergMarquardtOptimizer.IterationsPerStep, cancellationToken);
            if (_gradient.Length != parameters.Length)
            {
                _gradient = new double[parameters.Length];
            }

            return objective.TryEvaluate(_gradient, out _);
        }
    }
}
