namespace KanCompile;

public sealed partial class KanDataset
{
    private double[]? _oneHotTrain;
    private double[]? _oneHotTest;

    /// <summary>
    /// A classification dataset: each sample's label is its class index into <paramref name="classNames"/>. A model with
    /// one output per class trains on it with <see cref="KanLoss.SoftmaxCrossEntropy"/> (the indices reach the loss
    /// one-hot); a one-output model with <see cref="KanLoss.BinaryLogistic"/> (two classes) or, as pykan's two-moons
    /// regression, <see cref="KanLoss.MeanSquaredError"/> on the index.
    /// </summary>
    /// <param name="trainInputs">[TrainCount][InputCount] values.</param>
    /// <param name="trainClasses">The class index of every training sample.</param>
    /// <param name="testInputs">[TestCount][InputCount] values.</param>
    /// <param name="testClasses">The class index of every test sample.</param>
    /// <param name="inputCount">Number of input variables.</param>
    /// <param name="classNames">At least two distinct, non-empty names; index i names class i.</param>
    /// <param name="inputNames">Optional input names.</param>
    /// <param name="labelName">Optional name of the label column.</param>
    /// <exception cref="ArgumentException">A class index is outside [0, classes), naming the split and the sample, or the names are not usable.</exception>
    public static KanDataset FromClasses(
        double[] trainInputs,
        IReadOnlyList<int> trainClasses,
        double[] testInputs,
        IReadOnlyList<int> testClasses,
        int inputCount,
        IReadOnlyList<string> classNames,
        IReadOnlyList<string>? inputNames = null,
        string? labelName = null)
    {
        ArgumentNullException.ThrowIfNull(trainClasses);
        ArgumentNullException.ThrowIfNull(testClasses);
        string[] names = CheckClassNames(classNames);
        double[] trainLabels = ClassLabels(trainClasses, names.Length, "training");
        double[] testLabels = ClassLabels(testClasses, names.Length, "test");
        return new KanDataset(trainInputs, trainLabels, testInputs, testLabels, inputCount, 1, inputNames, labelName is null ? null : [labelName])
        {
            ClassNames = names,
        };
    }

    /// <summary>Number of classes (0 for a regression dataset).</summary>
    public int ClassCount => ClassNames?.Count ?? 0;

    /// <summary>The class index of every training sample (empty for a regression dataset).</summary>
    public int[] TrainClasses => ClassIndices(TrainLabels);

    /// <summary>The class index of every test sample (empty for a regression dataset).</summary>
    public int[] TestClasses => ClassIndices(TestLabels);

    /// <summary>
    /// The labels a model with <paramref name="outputCount"/> outputs trains on: a class dataset's indices one-hot
    /// ([samples][classes]) when the model has one output per class, otherwise the labels as stored. The one-hot arrays
    /// are built once per dataset.
    /// </summary>
    internal (double[] Train, double[] Test, int Width) LabelsFor(int outputCount)
    {
        if (!IsClassification || outputCount != ClassCount || outputCount == 1)
        {
            return (TrainLabels, TestLabels, OutputCount);
        }

        _oneHotTrain ??= OneHot(TrainLabels, outputCount);
        _oneHotTest ??= OneHot(TestLabels, outputCount);
        return (_oneHotTrain, _oneHotTest, outputCount);
    }

    private int[] ClassIndices(double[] labels) => IsClassification ? labels.Select(label => (int)label).ToArray() : [];

    private static double[] OneHot(double[] indices, int classes)
    {
        var oneHot = new double[indices.Length * classes];
        for (int s = 0; s < indices.Length; s++)
        {
            oneHot[s * classes + (int)indices[s]] = 1.0;
        }

        return oneHot;
    }

    private static string[] CheckClassNames(IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        string[] names = classNames.ToArray();
        if (names.Length < 2)
        {
            throw new ArgumentException($"A classification dataset needs at least two classes; got {names.Length}.", nameof(classNames));
        }

        for (int c = 0; c < names.Length; c++)
        {
            if (string.IsNullOrEmpty(names[c]))
            {
                throw new ArgumentException($"Class {c} has no name.", nameof(classNames));
            }

            if (Array.IndexOf(names, names[c]) != c)
            {
                throw new ArgumentException($"The class name '{names[c]}' appears twice; every class needs its own name.", nameof(classNames));
            }
        }

        return names;
    }

    private static double[] ClassLabels(IReadOnlyList<int> classes, int classCount, string split)
    {
        var labels = new double[classes.Count];
        for (int s = 0; s < classes.Count; s++)
        {
            if ((uint)classes[s] >= (uint)classCount)
            {
                throw new ArgumentException($"The {split} sample {s} has class {classes[s]}; with {classCount} class names the classes are 0 to {classCount - 1}.", "classes");
            }

            labels[s] = classes[s];
        }

        return labels;
    }
}
