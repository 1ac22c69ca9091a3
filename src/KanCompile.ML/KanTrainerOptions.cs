namespace KanCompile.ML;

/// <summary>
/// Settings shared by the KAN trainers (ML.NET's options-class convention): the columns, the network and pykan's fit
/// settings. The network is [features, <see cref="HiddenWidths"/>..., outputs], the outputs fixed by the task (one score,
/// one logit, or one logit per class).
/// </summary>
public abstract class KanTrainerOptions
{
    /// <summary>The known-size vector of <see cref="float"/> (or <see cref="double"/>) features (default <c>Features</c>).</summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>The label column (default <c>Label</c>).</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>Widths of the hidden layers (default one layer of 5, pykan's quick-start shape); empty for no hidden layer.</summary>
    public int[] HiddenWidths { get; set; } = [5];

    /// <summary>Grid intervals G (default 5).</summary>
    public int GridSize { get; set; } = 5;

    /// <summary>Spline order k (default 3).</summary>
    public int SplineOrder { get; set; } = 3;

    /// <summary>Optimiser steps (default 50; one L-BFGS step is up to 20 iterations).</summary>
    public int Steps { get; set; } = 50;

    /// <summary>The optimiser (default L-BFGS, as pykan).</summary>
    public KanOptimizer Optimizer { get; set; } = KanOptimizer.LBfgs;

    /// <summary>Learning rate (default 1 for L-BFGS; pass a smaller one for Adam).</summary>
    public double LearningRate { get; set; } = 1.0;

    /// <summary>pykan's <c>lamb</c>: weight of the sparsity regulariser (default 0).</summary>
    public double Lambda { get; set; }

    /// <summary>Re-grid from the data on pykan's schedule (default true), so features need not lie in [−1, 1].</summary>
    public bool UpdateGrid { get; set; } = true;

    /// <summary>Seed of the initialisation (default 0).</summary>
    public int Seed { get; set; }

    /// <summary>Threads of the fit (default: all cores); the result is the same for any value up to 16.</summary>
    public int MaxDegreeOfParallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>pykan's fit settings for <paramref name="loss"/>; the training rows double as Fit's test rows.</summary>
    internal FitOptions ToFitOptions(KanLoss loss) => new()
    {
        Loss = loss,
        Steps = Steps,
        Optimizer = Optimizer,
        LearningRate = LearningRate,
        Lambda = Lambda,
        UpdateGrid = UpdateGrid,
        Seed = Seed,
        MaxDegreeOfParallelism = MaxDegreeOfParallelism,
    };
}

/// <summary>Options of <see cref="KanCatalogExtensions.Kan(Microsoft.ML.RegressionCatalog.RegressionTrainers, KanRegressionOptions)"/>.</summary>
public sealed class KanRegressionOptions : KanTrainerOptions
{
}

/// <summary>Options of <see cref="KanCatalogExtensions.Kan(Microsoft.ML.BinaryClassificationCatalog.BinaryClassificationTrainers, KanBinaryClassificationOptions)"/>: one logit, trained with the logistic loss.</summary>
public sealed class KanBinaryClassificationOptions : KanTrainerOptions
{
}

/// <summary>Options of <see cref="KanCatalogExtensions.Kan(Microsoft.ML.MulticlassClassificationCatalog.MulticlassClassificationTrainers, KanMulticlassClassificationOptions)"/>: one logit per class, trained with softmax cross-entropy.</summary>
public sealed class KanMulticlassClassificationOptions : KanTrainerOptions
{
}
