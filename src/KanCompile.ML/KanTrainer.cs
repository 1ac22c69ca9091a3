using Microsoft.ML;
using Microsoft.ML.Data;

namespace KanCompile.ML;

/// <summary>
/// ML.NET estimator that trains a KAN on an <see cref="IDataView"/> (create it from a catalog:
/// <c>mlContext.Regression.Trainers.Kan(...)</c> and the binary and multiclass ones). <see cref="Fit"/> checks the
/// schema, reads the feature vectors and labels once (float32 features are widened to float64 exactly: every float is a
/// double), trains with KanCompile's compiled kernels (the training rows also serve as Fit's test rows) and returns a
/// <see cref="KanPredictionTransformer"/>.
/// </summary>
public sealed class KanTrainer : IEstimator<KanPredictionTransformer>
{
    private readonly KanTrainerOptions _options;

    private string LabelName => _options.LabelColumnName;

    internal KanTrainer(KanTask task, KanTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.FeatureColumnName) || string.IsNullOrWhiteSpace(options.LabelColumnName))
        {
            throw new ArgumentException("Name the feature and label columns (FeatureColumnName, LabelColumnName).", nameof(options));
        }

        if (options.HiddenWidths is null || options.HiddenWidths.Any(w => w < 1))
        {
            throw new ArgumentException($"HiddenWidths must be positive widths (or empty); got [{string.Join(", ", options.HiddenWidths ?? [])}].", nameof(options));
        }

        Task = task;
        _options = options;
    }

    /// <summary>What the trainer predicts.</summary>
    public KanTask Task { get; }

    /// <summary>The trainer's settings.</summary>
    public KanTrainerOptions Options => _options;

    /// <summary>Trains the KAN on <paramref name="input"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or of the wrong type (the message names it).</exception>
    /// <exception cref="InvalidOperationException">The data cannot be trained on (no rows, a NaN feature, a missing label).</exception>
    public KanPredictionTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int featureCount = KanSchema.CheckFeatures(input.Schema, _options.FeatureColumnName);
        DataViewSchema.Column label = KanSchema.CheckLabel(input.Schema, _options.LabelColumnName, Task);
        (double[] features, int rows) = KanSchema.ReadFeatures(input, _options.FeatureColumnName, featureCount);
        if (rows == 0)
        {
            throw new InvalidOperationException("The training data has no rows.");
        }

        var (dataset, outputs, loss) = Task switch
        {
            KanTask.Regression => (Regression(input, features, featureCount), 1, KanLoss.MeanSquaredError),
            KanTask.BinaryClassification => (Binary(input, features, featureCount), 1, KanLoss.BinaryLogistic),
            _ => Multiclass(input, label, features, featureCount),
        };

        int[] widths = [featureCount, .. _options.HiddenWidths, outputs];
        var model = new KanNetwork(widths, _options.GridSize, _options.SplineOrder, _options.Seed);
        FitResult result = model.Fit(dataset, _options.ToFitOptions(loss));
        if (result.ExitReason == FitExitReason.NonFiniteLoss)
        {
            throw new InvalidOperationException($"Training stopped after {result.Steps} steps on a non-finite loss; scale the features (e.g. NormalizeMinMax) or lower LearningRate.");
        }

        return new KanPredictionTransformer(model, Task, _options.FeatureColumnName, featureCount, KanSchema.KeyValues(label, Task));
    }

    /// <summary>The schema after the transformer: the input's columns plus the task's output columns.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        KanSchema.CheckShape(inputSchema, _options.FeatureColumnName, _options.LabelColumnName, Task);
        // A multiclass PredictedLabel carries the label's key values (MapKeyToValue after the trainer reads them).
        bool labelHasKeyValues = Task == KanTask.MulticlassClassification
            && inputSchema.First(c => c.Name == _options.LabelColumnName).Annotations.Any(a => a.Name == KanSchema.KeyValuesKind);
        DataViewSchema outputs = KanSchema.OutputColumns(Task, classCount: null, keyValues: labelHasKeyValues ? KanSchema.TextKeyValues([]) : null);
        return new SchemaShape(inputSchema.Where(c => outputs.GetColumnOrNull(c.Name) is null).Concat(KanSchema.ShapeOf(outputs)));
    }

    private KanDataset Regression(IDataView input, double[] features, int featureCount)
    {
        double[] labels = KanSchema.ReadLabels<float>(input, LabelName, value => float.IsFinite(value) ? value : null, "a finite number");
        return new KanDataset(features, labels, features, labels, featureCount, 1);
    }

    private KanDataset Binary(IDataView input, double[] features, int featureCount)
    {
        int[] classes = KanSchema.ReadLabels<bool>(input, LabelName, value => value ? 1 : 0, "true or false").Select(c => (int)c).ToArray();
        return KanDataset.FromClasses(features, classes, features, classes, featureCount, KanSchema.BinaryClassNames);
    }

    private (KanDataset, int, KanLoss) Multiclass(IDataView input, DataViewSchema.Column label, double[] features, int featureCount)
    {
        string[] names = KanSchema.ClassNames(label);
        int[] classes = KanSchema.ReadLabels<uint>(input, label.Name, key => key == 0 ? null : key - 1.0, "a class (key 0 is a missing value)").Select(c => (int)c).ToArray();
        return (KanDataset.FromClasses(features, classes, features, classes, featureCount, names), names.Length, KanLoss.SoftmaxCrossEntropy);
    }
}
