namespace KanCompile;

/// <summary>
/// A train/test split of row-major samples, pykan's <c>dataset</c> dictionary (<c>train_input</c>,
/// <c>train_label</c>, <c>test_input</c>, <c>test_label</c>).
/// </summary>
public sealed class KanDataset
{
    /// <summary>Wraps the four arrays (not copied); every input row has <paramref name="inputCount"/> values, every label row <paramref name="outputCount"/>.</summary>
    public KanDataset(double[] trainInputs, double[] trainLabels, double[] testInputs, double[] testLabels, int inputCount, int outputCount)
    {
        ArgumentNullException.ThrowIfNull(trainInputs);
        ArgumentNullException.ThrowIfNull(trainLabels);
        ArgumentNullException.ThrowIfNull(testInputs);
        ArgumentNullException.ThrowIfNull(testLabels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputCount);
        TrainCount = RowCount(trainInputs, inputCount, nameof(trainInputs));
        TestCount = RowCount(testInputs, inputCount, nameof(testInputs));
        if (trainLabels.Length != TrainCount * outputCount)
        {
            throw new ArgumentException($"trainLabels has {trainLabels.Length} values; {TrainCount} samples with {outputCount} outputs need {TrainCount * outputCount}.", nameof(trainLabels));
        }

        if (testLabels.Length != TestCount * outputCount)
        {
            throw new ArgumentException($"testLabels has {testLabels.Length} values; {TestCount} samples with {outputCount} outputs need {TestCount * outputCount}.", nameof(testLabels));
        }

        TrainInputs = trainInputs;
        TrainLabels = trainLabels;
        TestInputs = testInputs;
        TestLabels = testLabels;
        InputCount = inputCount;
        OutputCount = outputCount;
    }

    /// <summary>Training inputs, row-major [TrainCount][InputCount].</summary>
    public double[] TrainInputs { get; }

    /// <summary>Training labels, row-major [TrainCount][OutputCount].</summary>
    public double[] TrainLabels { get; }

    /// <summary>Test inputs, row-major [TestCount][InputCount].</summary>
    public double[] TestInputs { get; }

    /// <summary>Test labels, row-major [TestCount][OutputCount].</summary>
    public double[] TestLabels { get; }

    /// <summary>Values per input row.</summary>
    public int InputCount { get; }

    /// <summary>Values per label row.</summary>
    public int OutputCount { get; }

    /// <summary>Number of training samples.</summary>
    public int TrainCount { get; }

    /// <summary>Number of test samples.</summary>
    public int TestCount { get; }

    private static int RowCount(double[] inputs, int inputCount, string name)
    {
        if (inputs.Length % inputCount != 0)
        {
            throw new ArgumentException($"{name} has {inputs.Length} values, not a multiple of the {inputCount} inputs per sample.", name);
        }

        return inputs.Length / inputCount;
    }
}
