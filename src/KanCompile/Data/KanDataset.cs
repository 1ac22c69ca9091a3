namespace KanCompile;

/// <summary>
/// Training and test data for a KAN: inputs and labels as row-major arrays (sample after sample), with the
/// column names and, when the data were normalised, the statistics used. Build one from a function
/// (<see cref="FromFunction(Func{ReadOnlySpan{double}, double}, int, IReadOnlyList{ValueTuple{double, double}}?, int, int, int, bool, bool, IReadOnlyList{string}?)"/>,
/// pykan's <c>create_dataset</c>) or from a CSV file (<see cref="FromCsv"/>).
/// </summary>
public sealed partial class KanDataset
{
    /// <summary>Creates a dataset from row-major arrays and checks that their sizes agree.</summary>
    /// <param name="trainInputs">[TrainCount][InputCount] values.</param>
    /// <param name="trainLabels">[TrainCount][OutputCount] values.</param>
    /// <param name="testInputs">[TestCount][InputCount] values.</param>
    /// <param name="testLabels">[TestCount][OutputCount] values.</param>
    /// <param name="inputCount">Number of input variables.</param>
    /// <param name="outputCount">Number of labels per sample.</param>
    /// <param name="inputNames">Optional input names (InputCount of them).</param>
    /// <param name="outputNames">Optional label names (OutputCount of them).</param>
    public KanDataset(
        double[] trainInputs,
        double[] trainLabels,
        double[] testInputs,
        double[] testLabels,
        int inputCount,
        int outputCount,
        IReadOnlyList<string>? inputNames = null,
        IReadOnlyList<string>? outputNames = null)
    {
        ArgumentNullException.ThrowIfNull(trainInputs);
        ArgumentNullException.ThrowIfNull(trainLabels);
        ArgumentNullException.ThrowIfNull(testInputs);
        ArgumentNullException.ThrowIfNull(testLabels);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputCount, 1);
        int trainCount = SampleBatch.Count(trainInputs, inputCount, nameof(trainInputs), minSamples: 0, what: "train inputs");
        int testCount = SampleBatch.Count(testInputs, inputCount, nameof(testInputs), minSamples: 0, what: "test inputs");
        if (trainLabels.Length != trainCount * outputCount || testLabels.Length != testCount * outputCount)
        {
            throw new ArgumentException(
                $"Label arrays must hold {outputCount} values per sample: expected {trainCount * outputCount} (train) and {testCount * outputCount} (test), got {trainLabels.Length} and {testLabels.Length}.");
        }

        if (inputNames is not null && inputNames.Count != inputCount)
        {
            throw new ArgumentException($"{inputNames.Count} input names given for {inputCount} inputs.", nameof(inputNames));
        }

        if (outputNames is not null && outputNames.Count != outputCount)
        {
            throw new ArgumentException($"{outputNames.Count} output names given for {outputCount} outputs.", nameof(outputNames));
        }

        TrainInputs = trainInputs;
        TrainLabels = trainLabels;
        TestInputs = testInputs;
        TestLabels = testLabels;
        InputCount = inputCount;
        OutputCount = outputCount;
        TrainCount = trainCount;
        TestCount = testCount;
        InputNames = inputNames?.ToArray();
        OutputNames = outputNames?.ToArray();
    }

    /// <summary>Training inputs, row-major [TrainCount][InputCount].</summary>
    public double[] TrainInputs { get; }

    /// <summary>Training labels, row-major [TrainCount][OutputCount].</summary>
    public double[] TrainLabels { get; }

    /// <summary>Test inputs, row-major [TestCount][InputCount].</summary>
    public double[] TestInputs { get; }

    /// <summary>Test labels, row-major [TestCount][OutputCount].</summary>
    public double[] TestLabels { get; }

    /// <summary>Number of input variables.</summary>
    public int InputCount { get; }

    /// <summary>Number of labels per sample.</summary>
    public int OutputCount { get; }

    /// <summary>Number of training samples.</summary>
    public int TrainCount { get; }

    /// <summary>Number of test samples.</summary>
    public int TestCount { get; }

    /// <summary>Input names (CSV column names, or those given), or null.</summary>
    public IReadOnlyList<string>? InputNames { get; }

    /// <summary>Label names (CSV target columns, or those given), or null.</summary>
    public IReadOnlyList<string>? OutputNames { get; }

    /// <summary>Statistics the inputs were standardised with, or null when they were not.</summary>
    public ColumnStatistics? InputNormalization { get; private init; }

    /// <summary>Statistics the labels were standardised with, or null when they were not.</summary>
    public ColumnStatistics? LabelNormalization { get; private init; }

    /// <summary>
    /// The class names when the labels are classes (<see cref="FromClasses"/>, <see cref="FromCsv"/> with a class
    /// column, <see cref="TwoMoons"/>), index by index; null for a regression dataset. Each label is then one value,
    /// the class index.
    /// </summary>
    public IReadOnlyList<string>? ClassNames { get; private init; }

    /// <summary>True when the labels are class indices (<see cref="ClassNames"/> is set).</summary>
    public bool IsClassification => ClassNames is not null;
}
