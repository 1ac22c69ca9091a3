using KanCompile.Training;

namespace KanCompile;

public abstract partial class KanModel
{
    /// <summary>
    /// Trains the model on <paramref name="dataset"/> as pykan's <c>model.fit(dataset, ...)</c> does: per step,
    /// optional grid update, one optimiser step (L-BFGS by default) on loss + λ·reg (MSE by default), the test loss
    /// and the metrics. A class dataset's indices reach a model with one output per class one-hot, and the fit sets
    /// <see cref="Classes"/> (names from the dataset, decision from the loss).
    /// </summary>
    /// <param name="dataset">Train and test samples; input and label widths must match the model.</param>
    /// <param name="options">pykan's fit settings (<c>new FitOptions()</c> for pykan's defaults).</param>
    /// <param name="progress">Receives the step, RMSEs and regulariser after every step.</param>
    /// <param name="cancellationToken">Stops the fit; the model then holds the best parameters seen.</param>
    /// <returns>The per-step history and why the fit stopped.</returns>
    public FitResult Fit(KanDataset dataset, FitOptions options, IProgress<FitProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var (trainLabels, testLabels, labelCount) = dataset.LabelsFor(OutputCount);
        var data = new TrainingData(dataset.TrainInputs, trainLabels, dataset.TestInputs, testLabels, dataset.InputCount, labelCount);
        FitResult result = Fit(data, options, progress, cancellationToken);
        if (dataset.ClassNames is { } names)
        {
            // The loss's rule where it fits the shape; otherwise the nearest index (the largest output with one per class).
            KanClassDecision decision = options.Loss.Decision;
            bool fits = decision switch
            {
                KanClassDecision.Logistic => OutputCount == 1 && names.Count == 2,
                KanClassDecision.Softmax => OutputCount == names.Count,
                _ => true,
            };
            Classes = new KanClasses(names, fits ? decision : KanClassDecision.NearestIndex);
        }

        return result;
    }
}
