using System.Diagnostics;
using KanCompile.Numerics;
using KanCompile.Training;
using KanCompile.Training.Optimizers;

namespace KanCompile;

public abstract partial class KanModel
{
    /// <summary>Chunks a batch is cut into (at least): fixed so the loss and gradient bits do not depend on the thread count.</summary>
    private const int FitChunkCount = 16;

    /// <summary>
    /// pykan's <c>MultKAN.fit</c> (kan-math §2.9) on a dataset view. Each step: draw the train and test batches,
    /// update the grid on pykan's schedule, take one optimiser step on MSE + λ·reg, and measure the test RMSE.
    /// On a NaN/infinite loss or cancellation the model gets back the best parameters seen.
    /// </summary>
    internal FitResult Fit(in TrainingData data, FitOptions options, IProgress<FitProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        data.Validate(InputCount, OutputCount);

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
        var reason = FitExitReason.Completed;
        int completed = 0;

        var random = new KanRandom(options.Seed);
        var trainSampler = new BatchSampler(data.TrainInputs, data.TrainLabels, data.InputCount, data.OutputCount, trainBatch);
        var testSampler = new BatchSampler(data.TestInputs, data.TestLabels, data.InputCount, data.OutputCount, testBatch);
        int threads = Math.Min(options.MaxDegreeOfParallelism, Math.Max(trainBatch, testBatch));
        int chunks = Math.Max(FitChunkCount, options.MaxDegreeOfParallelism);
        using var workers = new ChunkWorkers(threads);
        var objective = new KanObjective(this, workers, chunks, testBatch, options, cancellationToken);
        IFitOptimizer optimizer = options.Optimizer == KanOptimizer.Adam
            ? new AdamOptimizer(ParameterCount, options.LearningRate)
            : new LbfgsOptimizer(ParameterCount, options.LearningRate);

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
                UpdateGrid(trainSampler.Inputs.Span);
                objective.ResetBest();
            }

            // pykan computes the regulariser only when λ > 0, and on the last step to report it.
            objective.ComputeRegularization = options.Lambda > 0 || step == steps - 1;
            objective.SetBatch(trainSampler.Inputs, trainSampler.Labels, trainBatch);
            if (!optimizer.Step(ParameterBuffer, objective))
            {
                reason = objective.Cancelled ? FitExitReason.Cancelled : FitExitReason.NonFiniteLoss;
                break;
            }

            double testError = objective.MeanSquaredError(testSampler.Inputs, testSampler.Labels, testBatch);
            if (!double.IsFinite(testError) || ParameterBuffer.AsSpan().IndexOfAnyExceptInRange(double.MinValue, double.MaxValue) >= 0)
            {
                reason = FitExitReason.NonFiniteLoss;
                break;
            }

            trainRmse[step] = Math.Sqrt(objective.LastMeanSquaredError);
            testRmse[step] = Math.Sqrt(testError);
            regularization[step] = objective.LastRegularization;
            completed = step + 1;
            progress?.Report(new FitProgress(completed, steps, trainRmse[step], testRmse[step], regularization[step], Stopwatch.GetElapsedTime(started)));
        }

        if (reason != FitExitReason.Completed)
        {
            objective.RestoreBest(ParameterBuffer);
        }

        LastFitInputs = data.TrainInputs.ToArray();
        Array.Resize(ref trainRmse, completed);
        Array.Resize(ref testRmse, completed);
        Array.Resize(ref regularization, completed);
        return new FitResult(trainRmse, testRmse, regularization, reason, Stopwatch.GetElapsedTime(started));
    }
}
