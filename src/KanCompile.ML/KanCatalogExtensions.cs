using Microsoft.ML;

namespace KanCompile.ML;

/// <summary>
/// The KAN trainers in ML.NET's catalogs: <c>mlContext.Regression.Trainers.Kan(...)</c>,
/// <c>mlContext.BinaryClassification.Trainers.Kan(...)</c> and <c>mlContext.MulticlassClassification.Trainers.Kan(...)</c>.
/// </summary>
public static class KanCatalogExtensions
{
    /// <summary>A KAN regression trainer (mean squared error).</summary>
    public static KanTrainer Kan(this RegressionCatalog.RegressionTrainers catalog, string labelColumnName = "Label", string featureColumnName = "Features", int[]? hiddenWidths = null, int steps = 50) =>
        Kan(catalog, Options(new KanRegressionOptions(), labelColumnName, featureColumnName, hiddenWidths, steps));

    /// <summary>A KAN regression trainer with every setting.</summary>
    public static KanTrainer Kan(this RegressionCatalog.RegressionTrainers catalog, KanRegressionOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new KanTrainer(KanTask.Regression, options);
    }

    /// <summary>A KAN binary classifier (one logit, logistic loss).</summary>
    public static KanTrainer Kan(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, string labelColumnName = "Label", string featureColumnName = "Features", int[]? hiddenWidths = null, int steps = 50) =>
        Kan(catalog, Options(new KanBinaryClassificationOptions(), labelColumnName, featureColumnName, hiddenWidths, steps));

    /// <summary>A KAN binary classifier with every setting.</summary>
    public static KanTrainer Kan(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, KanBinaryClassificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new KanTrainer(KanTask.BinaryClassification, options);
    }

    /// <summary>A KAN multiclass classifier (one logit per class, softmax cross-entropy).</summary>
    public static KanTrainer Kan(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, string labelColumnName = "Label", string featureColumnName = "Features", int[]? hiddenWidths = null, int steps = 50) =>
        Kan(catalog, Options(new KanMulticlassClassificationOptions(), labelColumnName, featureColumnName, hiddenWidths, steps));

    /// <summary>A KAN multiclass classifier with every setting.</summary>
    public static KanTrainer Kan(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, KanMulticlassClassificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new KanTrainer(KanTask.MulticlassClassification, options);
    }

    private static T Options<T>(T options, string labelColumnName, string featureColumnName, int[]? hiddenWidths, int steps)
        where T : KanTrainerOptions
    {
        options.LabelColumnName = labelColumnName;
        options.FeatureColumnName = featureColumnName;
        options.HiddenWidths = hiddenWidths ?? options.HiddenWidths;
        options.Steps = steps;
        return options;
    }
}
