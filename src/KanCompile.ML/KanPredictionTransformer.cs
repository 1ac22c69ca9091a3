using Microsoft.ML;
using Microsoft.ML.Data;

namespace KanCompile.ML;

/// <summary>
/// A trained KAN as an ML.NET transformer: <see cref="Transform"/> adds the task's columns to the data lazily, row by
/// row (<c>Score</c>; for binary classifiers also <c>Probability</c> and <c>PredictedLabel</c>; for multiclass ones
/// <c>Score</c> as one probability per class and <c>PredictedLabel</c> as a key), as ML.NET's own trainers do, so the
/// catalogs' <c>Evaluate</c> methods read them. It is also a row-to-row mapper, so prediction engines work.
/// <para>Persistence: ML.NET's model format only takes transformers built into ML.NET (its save context is internal,
/// dotnet/machinelearning#4911), so <c>mlContext.Model.Save</c> refuses this one with a message saying so. Save the
/// KAN with <see cref="SaveModel(string)"/> (a KanCompile model file, class names included) and get the transformer back
/// with <see cref="Load(string, string)"/>.</para>
/// </summary>
public sealed class KanPredictionTransformer : ITransformer
{
    internal KanPredictionTransformer(KanNetwork model, KanTask task, string featureColumnName, int featureCount, DataViewSchema.Annotations? keyValues)
    {
        Model = model;
        Task = task;
        FeatureColumnName = featureColumnName;
        FeatureCount = featureCount;
        KeyValues = keyValues;
        OutputColumns = KanSchema.OutputColumns(task, task == KanTask.MulticlassClassification ? model.OutputCount : null, keyValues);
    }

    /// <summary>The trained KAN (its <see cref="KanModel.Classes"/> name a classifier's classes).</summary>
    public KanNetwork Model { get; }

    /// <summary>What it predicts.</summary>
    public KanTask Task { get; }

    /// <summary>The feature vector column it reads.</summary>
    public string FeatureColumnName { get; }

    /// <summary>The length of that vector (the KAN's inputs).</summary>
    public int FeatureCount { get; }

    /// <summary>True: <see cref="GetRowToRowMapper"/> works (prediction engines).</summary>
    public bool IsRowToRowMapper => true;

    internal DataViewSchema OutputColumns { get; }

    private DataViewSchema.Annotations? KeyValues { get; }

    /// <summary>The input schema plus the output columns (an input column of the same name is hidden).</summary>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        CheckInput(inputSchema);
        return ScoredSchema.Build(inputSchema, OutputColumns).Schema;
    }

    /// <summary>The data with the output columns added; computed lazily as cursors read it.</summary>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input.Schema);
        return new KanScoredDataView(input, this);
    }

    /// <summary>A row-to-row mapper for <paramref name="inputSchema"/> (what prediction engines use).</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        CheckInput(inputSchema);
        return new KanRowMapper(inputSchema, this);
    }

    /// <summary>Saves the KAN as a KanCompile model file (atomically; class names included).</summary>
    public void SaveModel(string path) => Model.Save(path);

    /// <summary>A transformer for a KAN saved by <see cref="SaveModel(string)"/> (or <c>kan fit --save</c>): regression without classes, binary for a logistic classifier, multiclass for a softmax one.</summary>
    public static KanPredictionTransformer Load(string path, string featureColumnName = "Features")
    {
        KanNetwork model = KanModel.Load(path);
        KanTask task = model.Classes?.Decision switch
        {
            null => KanTask.Regression,
            KanClassDecision.Logistic => KanTask.BinaryClassification,
            KanClassDecision.Softmax => KanTask.MulticlassClassification,
            _ => throw new KanModelFileException(path, "holds a classifier that regresses on the class index; the ML.NET transformer serves regression, logistic and softmax models."),
        };
        DataViewSchema.Annotations? keyValues = task == KanTask.MulticlassClassification ? KanSchema.TextKeyValues([.. model.Classes!.Names]) : null;

        return new KanPredictionTransformer(model, task, featureColumnName, model.InputCount, keyValues);
    }

    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        throw new NotSupportedException(
            "ML.NET's model format (mlContext.Model.Save) only takes transformers built into ML.NET: its save context is internal (dotnet/machinelearning#4911). "
            + "Save the KAN with KanPredictionTransformer.SaveModel(path) and load it with KanPredictionTransformer.Load(path); save the rest of the pipeline with mlContext.Model.Save.");

    private void CheckInput(DataViewSchema schema)
    {
        int count = KanSchema.CheckFeatures(schema, FeatureColumnName);
        if (count != FeatureCount)
        {
            throw new ArgumentOutOfRangeException(nameof(schema), $"The feature column '{FeatureColumnName}' has {count} values per row; the KAN was trained on {FeatureCount}.");
        }
    }

    /// <summary>The output values of one row's features (Score, then Probability and PredictedLabel as the task has them).</summary>
    internal void Score(ReadOnlySpan<double> features, Span<double> outputs, ScoredValues values)
    {
        Model.Forward(features, outputs);
        switch (Task)
        {
            case KanTask.Regression:
                values.Score = (float)outputs[0];
                break;
            case KanTask.BinaryClassification:
                Span<double> probabilities = stackalloc double[2];
                Model.Classes!.TryGetProbabilities(outputs, probabilities);
                values.Score = (float)outputs[0];
                values.Probability = (float)probabilities[1];
                values.PredictedBoolean = Model.Classes.Decide(outputs) == 1;
                break;
            default:
                Span<double> classProbabilities = values.ProbabilityBuffer;
                Model.Classes!.TryGetProbabilities(outputs, classProbabilities);
                for (int k = 0; k < classProbabilities.Length; k++)
                {
                    values.Scores[k] = (float)classProbabilities[k];
                }

                values.PredictedKey = (uint)Model.Classes.Decide(outputs) + 1;
                break;
        }
    }
}

/// <summary>One row's output values, reused from row to row.</summary>
internal sealed class ScoredValues(int classCount)
{
    public float Score;
    public float Probability;
    public bool PredictedBoolean;
    public uint PredictedKey;
    public readonly float[] Scores = new float[classCount];
    public readonly double[] ProbabilityBuffer = new double[classCount];
}
