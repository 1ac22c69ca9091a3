using KanCompile.Training;

namespace KanCompile;

public abstract partial class KanModel
{
    /// <summary>
    /// Trains the model on <paramref name="dataset"/> as pykan's <c>model.fit(dataset, ...)</c> does: per step,
    /// optional grid update, one optimiser step (L-BFGS by default) on MSE + λ·reg, and the test RMSE.
    /// </summary>
    /// <param name="dataset">Train and test samples; input and label widths must match the model.</param>
    /// <param name="options">pykan's fit settings (<c>new FitOptions()</c> for pykan's defaults).</param>
    /// <param name="progress">Receives the step, RMSEs and regulariser after every step.</param>
    /// <param name="cancellationToken">Stops the fit; the model then holds the best parameters seen.</param>
    /// <returns>The per-step history and why the fit stopped.</returns>
    public FitResult Fit(KanDataset dataset, FitOptions options, IProgress<FitProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var data = new TrainingData(dataset.TrainInputs, dataset.TrainLabels, dataset.TestInputs, dataset.TestLabels, dataset.InputCount, dataset.OutputCount);
        return Fit(data, options, progress, cancellationToken);
    }
}
