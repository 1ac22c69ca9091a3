namespace KanCompile;

public abstract partial class KanModel
{
    private KanClasses? _classes;

    /// <summary>
    /// The class names and decision rule when the model is a classifier, else null. <see cref="Fit(KanDataset, FitOptions, IProgress{FitProgress}?, CancellationToken)"/>
    /// on a class dataset sets it (names from the dataset, decision from the loss); model files keep it.
    /// </summary>
    /// <exception cref="ArgumentException">On set: the mapping does not fit the model's outputs.</exception>
    public KanClasses? Classes
    {
        get => _classes;
        set
        {
            value?.CheckOutputs(OutputCount);
            _classes = value;
        }
    }

    /// <summary>The class index one sample's inputs predict.</summary>
    /// <exception cref="InvalidOperationException">The model has no <see cref="Classes"/>.</exception>
    public int PredictClass(ReadOnlySpan<double> input)
    {
        KanClasses classes = RequireClasses();
        Span<double> outputs = OutputCount <= 64 ? stackalloc double[OutputCount] : new double[OutputCount];
        Kernel.Forward(input, outputs, ParameterBuffer, KnotTable, MaskBuffer);
        return classes.Decide(outputs);
    }

    /// <summary>The class name one sample's inputs predict.</summary>
    public string PredictClassName(ReadOnlySpan<double> input) => RequireClasses().Names[PredictClass(input)];

    /// <summary>Writes one sample's class probabilities (one per class, summing to 1).</summary>
    /// <exception cref="InvalidOperationException">The model has no <see cref="Classes"/>, or they have no probabilities (<see cref="KanClassDecision.NearestIndex"/>).</exception>
    public void PredictProbabilities(ReadOnlySpan<double> input, Span<double> probabilities)
    {
        KanClasses classes = RequireClasses();
        Span<double> outputs = OutputCount <= 64 ? stackalloc double[OutputCount] : new double[OutputCount];
        Kernel.Forward(input, outputs, ParameterBuffer, KnotTable, MaskBuffer);
        if (!classes.TryGetProbabilities(outputs, probabilities))
        {
            throw new InvalidOperationException("The model regresses on the class index (KanClassDecision.NearestIndex), which gives a class but no probabilities; train with SoftmaxCrossEntropy or BinaryLogistic for probabilities.");
        }
    }

    /// <summary>The class index of every row of a row-major batch (all cores when large, as <see cref="Predict"/>).</summary>
    public void PredictClasses(ReadOnlySpan<double> inputs, Span<int> classes)
    {
        KanClasses mapping = RequireClasses();
        int count = inputs.Length / InputCount;
        if (classes.Length < count)
        {
            throw new ArgumentException($"The class span has {classes.Length} values; {count} samples need {count}.", nameof(classes));
        }

        var outputs = new double[count * OutputCount];
        Predict(inputs, outputs);
        for (int s = 0; s < count; s++)
        {
            classes[s] = mapping.Decide(outputs.AsSpan(s * OutputCount, OutputCount));
        }
    }

    private KanClasses RequireClasses() =>
        _classes ?? throw new InvalidOperationException(
            "The model has no classes: train it on a class dataset (KanDataset.FromClasses, FromCsv with classify: true, TwoMoons) or set Classes.");
}
