namespace KanCompile.ML;

/// <summary>What a KAN trainer predicts, which fixes its label type, loss and output columns.</summary>
public enum KanTask
{
    /// <summary>A <see cref="float"/> label; output <c>Score</c>.</summary>
    Regression,

    /// <summary>A <see cref="bool"/> label; outputs <c>Score</c> (the logit), <c>Probability</c> and <c>PredictedLabel</c>.</summary>
    BinaryClassification,

    /// <summary>A key label (<c>MapValueToKey</c>); outputs <c>Score</c> (one probability per class) and <c>PredictedLabel</c> (a key).</summary>
    MulticlassClassification,
}
