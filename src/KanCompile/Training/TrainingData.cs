namespace KanCompile.Training;

/// <summary>
/// The view of a dataset that <c>Fit</c> trains on: row-major train and test inputs and labels. Any dataset
/// type maps onto it without copying.
/// </summary>
internal readonly struct TrainingData
{
    public TrainingData(ReadOnlyMemory<double> trainInputs, ReadOnlyMemory<double> trainLabels, ReadOnlyMemory<double> testInputs, ReadOnlyMemory<double> testLabels, int inputCount, int outputCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputCount);
        TrainInputs = trainInputs;
        TrainLabels = trainLabels;
        TestInputs = testInputs;
        TestLabels = testLabels;
        InputCount = inputCount;
        OutputCount = outputCount;
        TrainCount = trainInputs.Length / inputCount;
        TestCount = testInputs.Length / inputCount;
    }

    public ReadOnlyMemory<double> TrainInputs { get; }

    public ReadOnlyMemory<double> TrainLabels { get; }

    public ReadOnlyMemory<double> TestInputs { get; }

    public ReadOnlyMemory<double> TestLabels { get; }

    public int InputCount { get; }

    public int OutputCount { get; }

    public int TrainCount { get; }

    public int TestCount { get; }

    /// <summary>Throws when the data does not fit a model with these input and output counts.</summary>
    public void Validate(int modelInputs, int modelOutputs)
    {
        if (InputCount != modelInputs)
        {
            throw new ArgumentException($"The dataset has {InputCount} inputs per sample but the model has {modelInputs} inputs.", "dataset");
        }

        if (OutputCount != modelOutputs)
        {
            throw new ArgumentException($"The dataset has {OutputCount} labels per sample but the model has {modelOutputs} outputs.", "dataset");
        }

        SampleBatch.Count(TrainInputs.Span, InputCount, "dataset", minSamples: 0, what: "train inputs");
        SampleBatch.Count(TestInputs.Span, InputCount, "dataset", minSamples: 0, what: "test inputs");
        if (TrainCount == 0)
        {
            throw new ArgumentException("The dataset has no training samples.", "dataset");
        }

        if (TestCount == 0)
        {
            throw new ArgumentException("The dataset has no test samples; Fit reports the test RMSE after every step, as pykan does.", "dataset");
        }

        if (TrainLabels.Length != TrainCount * OutputCount)
        {
            throw new ArgumentException($"The train labels have {TrainLabels.Length} values; {TrainCount} samples with {OutputCount} outputs need {TrainCount * OutputCount}.", "dataset");
        }

        if (TestLabels.Length != TestCount * OutputCount)
        {
            throw new ArgumentException($"The test labels have {TestLabels.Length} values; {TestCount} samples with {OutputCount} outputs need {TestCount * OutputCount}.", "dataset");
        }

        SampleBatch.CountFinite(TrainInputs.Span, InputCount, "dataset", minSamples: 0, what: "train inputs");
        SampleBatch.CountFinite(TrainLabels.Span, OutputCount, "dataset", minSamples: 0, what: "train labels");
        SampleBatch.CountFinite(TestInputs.Span, InputCount, "dataset", minSamples: 0, what: "test inputs");
        SampleBatch.CountFinite(TestLabels.Span, OutputCount, "dataset", minSamples: 0, what: "test labels");
    }

    /// <summary>Throws when a label cannot be used with <paramref name="loss"/>, naming the split, the sample and the column.</summary>
    public void ValidateLabels(KanLoss loss)
    {
        if (!loss.RestrictsLabels)
        {
            return;
        }

        CheckLabels(loss, TrainLabels.Span, "train");
        CheckLabels(loss, TestLabels.Span, "test");
    }

    private void CheckLabels(KanLoss loss, ReadOnlySpan<double> labels, string split)
    {
        for (int s = 0; s < labels.Length / OutputCount; s++)
        {
            string? problem = loss.CheckLabels(labels.Slice(s * OutputCount, OutputCount), out int column);
            if (problem is not null)
            {
                string where = column >= 0 ? $"The {split} label of sample {s}, column {column}," : $"The {split} label row of sample {s}";
                throw new ArgumentException($"{where} {problem}.", "dataset");
            }
        }
    }

}
