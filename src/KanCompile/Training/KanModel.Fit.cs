using System.Diagnostics;
using KanCompile.Numerics;
using KanCompile.Training;
using KanCompile.Training.Metrics;
using KanCompile.Training.Optimizers;

namespace KanCompile;

public abstract partial class KanModel
{
    /// <summary>Chunks a batch is cut into (at least): fixed so the loss and gradient bits do not depend on the thread count.</summary>
    private const int FitChunkCount = 16;

    /// <summary>
    /// pykan's <c>MultKAN.fit</c> (kan-math §2.9) on a dataset view. Each step: draw the train and test batches,
    /// update the grid on pykan's schedule, take one optimiser step on loss + λ·reg, measure the test loss and
    /// evaluate the metrics.
    /// On a NaN/infinite loss or cancellation the model gets back the best parameters seen.
    /// </summary>
    internal FitResult Fit(in TrainingData data, FitOptions options, IProgress<FitProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        data.Validate(InputCount, OutputCount);
        data.ValidateLabels(options.Loss);

        // pykan: a batch of -1 or larger than the training set means the full batch, for train and test alike.
        bool fullBatch = options.BatchSize == -1 || options.BatchSize >= data.TrainCount;
        int trainBatch = fullBatch ? data.TrainCount : options.BatchSize;
        int testBatch = fullBatch ? data.TestCount : Math.Min(options.BatchSize, data.TestCount);
        if (options.Lambda > 0 && trainBatch < 2)
        {
            throw new ArgumentException($"Invalid FitOptions.BatchSize: the regulariser (Lambda = {options.Lambda}) uses standard deviations over the batch, which need at least 2 samples.", nameof(options));
        }

        long started = Stopwatch.GetTimestamp();
        int steps = options.Steps;
        var trainRmse = new double[steps];
        var testRmse = new double[steps];
        var regularization = new double[steps];
        var trainLoss = new double[steps];
        var testLoss = new double[steps];
        bool squaredError = ReferenceEquals(options.Loss, KanLoss.MeanSquaredError);
        var reason = FitExitReason.Completed;
        int completed = 0;

        var random = new KanRandom(options.Seed);
        var trainSampler = new BatchSampler(data.TrainInputs, data.TrainLabels, data.InputCount, data.OutputCount, trainBatch);
        var testSampler = new BatchSampler(data.TestInputs, data.TestLabels, data.InputCount, data.OutputCount, testBatch);
        int threads = Math.Min(options.MaxDegreeOfParallelism, Math.Max(trainBatch, testBatch));
        int chunks = Math.Max(FitChunkCount, options.MaxDegreeOfParallelism);
        using var workers = ChunkWorkers.Rent(threads);

        // With symbolic edges the optimiser moves [splines | affine of every edge] (see SymbolicMixedKernel);
        // otherwise the spline parameters in place.
        bool symbolic = HasSymbolicEdges;
        double[] trainable = symbolic ? GatherTrainable() : ParameterBuffer;
        var objective = KanObjective.Rent(this, workers, chunks, testBatch, options, cancellationToken, symbolic ? trainable : null);
        IFitOptimizer optimizer = options.Optimizer switch
        {
            KanOptimizer.Adam => new AdamOptimizer(trainable.Length, options.LearningRate),
            KanOptimizer.LevenbergMarquardt => new LevenbergMarquardtOptimizer(this, trainable.Length, trainSampler, new FrozenParameters(options), cancellationToken),
            _ => new LbfgsOptimizer(trainable.Length, options.LearningRate),
        };

        var metrics = new FitMetrics(options.Metrics, steps, OutputCount, trainBatch);
        objective.ResetBest();
        for (int step = 0; step < steps; step++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                reason = FitExitReason.Cancelled;
                break;
            }

            trainSampler.Next(random);
            testSampler.Next(random);
            if (options.IsGridUpdateStep(step))
            {
                if (symbolic)
                {
                    ScatterTrainable(trainable);
                    UpdateGrid(trainSampler.Inputs.Span, DefaultGridEps, options.GridMargin);
                    ParameterBuffer.CopyTo(trainable, 0);
                }
                else
                {
                    // A grid update may replace the parameter array.
                    UpdateGrid(trainSampler.Inputs.Span, DefaultGridEps, options.GridMargin);
                    trainable = ParameterBuffer;
                }

                objective.ResetBest();
            }

            // pykan computes the regulariser only when λ > 0, and on the last step to report it.
            objective.ComputeRegularization = options.Lambda > 0 || step == steps - 1;
            objective.SetBatch(trainSampler.Inputs, trainSampler.Labels, trainBatch);
            if (!optimizer.Step(trainable, objective))
            {
                reason = objective.Cancelled ? FitExitReason.Cancelled : FitExitReason.NonFiniteLoss;
                break;
            }

            double testError = objective.MeanLoss(testSampler.Inputs, testSampler.Labels, testBatch);
            if (!double.IsFinite(testError) || !FiniteValues.All(trainable))
            {
                reason = FitExitReason.NonFiniteLoss;
                break;
            }

            trainLoss[step] = objective.LastLoss;
            testLoss[step] = testError;
            trainRmse[step] = squaredError ? Math.Sqrt(trainLoss[step]) : double.NaN;
            testRmse[step] = squaredError ? Math.Sqrt(testError) : double.NaN;
            regularization[step] = objective.LastRegularization;
            if (metrics.Any)
            {
                if (symbolic && metrics.HasCallbacks)
                {
                    // Callbacks read the model itself.
                    ScatterTrainable(trainable);
                }

                metrics.Evaluate(step, objective, options.Loss, trainSampler, testSampler);
            }

            completed = step + 1;
            progress?.Report(new FitProgress(completed, steps, trainRmse[step], testRmse[step], regularization[step], Stopwatch.GetElapsedTime(started))
            {
                TrainLoss = trainLoss[step],
                TestLoss = testLoss[step],
                Metrics = metrics.Latest(step),
            });

            // Every later step would see the same batch and the same grid, and change nothing.
            if (optimizer.Converged && trainSampler.IsFullBatch && completed < steps && !GridUpdateAfter(options, step, steps))
            {
                reason = FitExitReason.Converged;
                break;
            }
        }

        if (reason is FitExitReason.Cancelled or FitExitReason.NonFiniteLoss)
        {
            objective.RestoreBest(trainable);
        }

        objective.Park();
        if (symbolic)
        {
            ScatterTrainable(trainable);
        }

        LastFitInputs = data.TrainInputs.ToArray();
        Array.Resize(ref trainRmse, completed);
        Array.Resize(ref testRmse, completed);
        Array.Resize(ref regularization, completed);
        Array.Resize(ref trainLoss, completed);
        Array.Resize(ref testLoss, completed);
        return new FitResult(trainRmse, testRmse, regularization, reason, Stopwatch.GetElapsedTime(started))
        {
            Loss = options.Loss,
            TrainLoss = trainLoss,
            TestLoss = testLoss,
            Metrics = metrics.History(completed),
        };
    }

    /// <summary>Whether pykan's schedule updates the grid on a step after <paramref name="step"/>.</summary>
    private static bool GridUpdateAfter(FitOptions options, int step, int steps)
    {
        for (int later = step + 1; later < steps; later++)
        {
            if (options.IsGridUpdateStep(later))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>[spline parameters | symbolic affine of every edge]: the vector Fit trains when symbolic edges are live.</summary>
    private double[] GatherTrainable()
    {
        double[] affine = SymbolicTable.Affine;
        var trainable = new double[ParameterCount + affine.Length];
        ParameterBuffer.CopyTo(trainable, 0);
        affine.CopyTo(trainable, ParameterCount);
        return trainable;
    }

    /// <summary>Writes a trained [splines | affine] vector back into the model.</summary>
    private void ScatterTrainable(double[] trainable)
    {
        trainable.AsSpan(0, ParameterCount).CopyTo(ParameterBuffer);
        trainable.AsSpan(ParameterCount).CopyTo(SymbolicTable.Affine);
    }
}
