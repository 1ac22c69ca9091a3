namespace KanCompile;

/// <summary>How a classifier's outputs become a class (and class probabilities).</summary>
public enum KanClassDecision
{
    /// <summary>
    /// One output regressed on the class index (pykan's mean-squared-error formulation of two moons): the class is the
    /// nearest index, round(y) clamped to the classes; there are no probabilities.
    /// </summary>
    NearestIndex,

    /// <summary>One output (logit) per class, trained with <see cref="KanLoss.SoftmaxCrossEntropy"/>: the class is the largest output, the probabilities softmax(y).</summary>
    Softmax,

    /// <summary>One output, the logit of class 1, trained with <see cref="KanLoss.BinaryLogistic"/>: P(class 1) = 1 / (1 + e^−y), the class 1 when y &gt; 0.</summary>
    Logistic,
}
