using KanCompile.Numerics;

namespace KanCompile;

public sealed partial class KanDataset
{
    /// <summary>
    /// Samples a function of <paramref name="inputCount"/> variables, as pykan's <c>create_dataset</c>
    /// (kan-math §1.6): inputs uniform on each variable's range, drawn variable by variable (the training
    /// column, then the test column); labels f(x) of the raw inputs; optional standardisation with the
    /// training split's mean and unbiased standard deviation, applied to both splits and kept on the dataset.
    /// The random source is <see cref="KanRandom"/>, so the numbers differ from torch's but the same seed
    /// always gives the same data.
    /// </summary>
    /// <param name="function">f(x) → one label.</param>
    /// <param name="inputCount">Number of variables (pykan's <c>n_var</c>).</param>
    /// <param name="ranges">Null for [−1, 1] everywhere, one (min, max) for every variable, or one per variable.</param>
    /// <param name="trainCount">Training samples (default 1000).</param>
    /// <param name="testCount">Test samples (default 1000).</param>
    /// <param name="seed">Random seed (default 0, as pykan).</param>
    /// <param name="normalizeInput">Standardise the inputs.</param>
    /// <param name="normalizeLabel">Standardise the labels.</param>
    /// <param name="inputNames">Optional variable names.</param>
    public static KanDataset FromFunction(
        Func<ReadOnlySpan<double>, double> function,
        int inputCount,
        IReadOnlyList<(double Min, double Max)>? ranges = null,
        int trainCount = 1000,
        int testCount = 1000,
        int seed = 0,
        bool normalizeInput = false,
        bool normalizeLabel = false,
        IReadOnlyList<string>? inputNames = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Sample((x, y) => y[0] = function(x), inputCount, 1, ranges, trainCount, testCount, seed, normalizeInput, normalizeLabel, inputNames);
    }

    /// <summary>
    /// Samples a function with <paramref name="outputCount"/> outputs; otherwise as the single-output overload
    /// (pykan's <c>create_dataset</c> with a multi-column f).
    /// </summary>
    /// <param name="function">Writes f(x) into its output span.</param>
    /// <param name="inputCount">Number of variables.</param>
    /// <param name="outputCount">Number of outputs.</param>
    /// <param name="ranges">Null for [−1, 1] everywhere, one (min, max) for every variable, or one per variable.</param>
    /// <param name="trainCount">Training samples (default 1000).</param>
    /// <param name="testCount">Test samples (default 1000).</param>
    /// <param name="seed">Random seed (default 0).</param>
    /// <param name="normalizeInput">Standardise the inputs.</param>
    /// <param name="normalizeLabel">Standardise the labels.</param>
    /// <param name="inputNames">Optional variable names.</param>
    public static KanDataset FromFunction(
        KanVectorFunction function,
        int inputCount,
        int outputCount,
        IReadOnlyList<(double Min, double Max)>? ranges = null,
        int trainCount = 1000,
        int testCount = 1000,
        int seed = 0,
        bool normalizeInput = false,
        bool normalizeLabel = false,
        IReadOnlyList<string>? inputNames = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Sample(function, inputCount, outputCount, ranges, trainCount, testCount, seed, normalizeInput, normalizeLabel, inputNames);
    }

    private static KanDataset Sample(
        KanVectorFunction function,
        int inputCount,
        int outputCount,
        IReadOnlyList<(double Min, double Max)>? ranges,
        int trainCount,
        int testCount,
        int seed,
        bool normalizeInput,
        bool normalizeLabel,
        IReadOnlyList<string>? inputNames)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(trainCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(testCount);
        (double Min, double Max)[] perVariable = ResolveRanges(ranges, inputCount);

        var random = new KanRandom(seed);
        var trainInputs = new double[trainCount * inputCount];
        var testInputs = new double[testCount * inputCount];
        for (int i = 0; i < inputCount; i++)
        {
            (double lo, double hi) = perVariable[i];
            for (int s = 0; s < trainCount; s++)
            {
                trainInputs[s * inputCount + i] = random.NextDouble() * (hi - lo) + lo;
            }

            for (int s = 0; s < testCount; s++)
            {
                testInputs[s * inputCount + i] = random.NextDouble() * (hi - lo) + lo;
            }
        }

        double[] trainLabels = Evaluate(function, trainInputs, inputCount, outputCount, "training");
        double[] testLabels = Evaluate(function, testInputs, inputCount, outputCount, "test");
        ColumnStatistics? inputStatistics = null, labelStatistics = null;
        if (normalizeInput)
        {
            inputStatistics = ColumnStatistics.Of(trainInputs, inputCount, "the inputs");
            inputStatistics.Apply(trainInputs);
            inputStatistics.Apply(testInputs);
        }

        if (normalizeLabel)
        {
            labelStatistics = ColumnStatistics.Of(trainLabels, outputCount, "the labels");
            labelStatistics.Apply(trainLabels);
            labelStatistics.Apply(testLabels);
        }

        return new KanDataset(trainInputs, trainLabels, testInputs, testLabels, inputCount, outputCount, inputNames)
        {
            InputNormalization = inputStatistics,
            LabelNormalization = labelStatistics,
        };
    }

    private static (double Min, double Max)[] ResolveRanges(IReadOnlyList<(double Min, double Max)>? ranges, int inputCount)
    {
        if (ranges is null || ranges.Count == 0)
        {
            return Enumerable.Repeat((-1.0, 1.0), inputCount).ToArray();
        }

        if (ranges.Count != 1 && ranges.Count != inputCount)
        {
            throw new ArgumentException($"Give one range for every variable or one per variable; got {ranges.Count} ranges for {inputCount} variables.", nameof(ranges));
        }

        var result = new (double Min, double Max)[inputCount];
        for (int i = 0; i < inputCount; i++)
        {
            var range = ranges[ranges.Count == 1 ? 0 : i];
            if (!double.IsFinite(range.Min) || !double.IsFinite(range.Max) || range.Min > range.Max)
            {
                throw new ArgumentException($"Range {i} is ({range.Min}, {range.Max}); it must be finite with Min ≤ Max.", nameof(ranges));
            }

            result[i] = range;
        }

        return result;
    }

    private static double[] Evaluate(KanVectorFunction function, double[] inputs, int inputCount, int outputCount, string split)
    {
        int count = inputs.Length / inputCount;
        var labels = new double[count * outputCount];
        for (int s = 0; s < count; s++)
        {
            ReadOnlySpan<double> x = inputs.AsSpan(s * inputCount, inputCount);
            Span<double> y = labels.AsSpan(s * outputCount, outputCount);
            function(x, y);
            for (int o = 0; o < outputCount; o++)
            {
                if (!double.IsFinite(y[o]))
                {
                    throw new ArgumentException(
                        $"The function returned {y[o]} for output {o} of {split} sample {s} at x = [{string.Join(", ", x.ToArray())}]; labels must be finite (narrow the ranges or guard the function).",
                        nameof(function));
                }
            }
        }

        return labels;
    }
}
