namespace KanCompile.Interpretability.Hypotheses;

/// <summary>
/// A function's values, gradients and Hessians at sample points, with the spreads the hypothesis scores are
/// normalised by: each input's standard deviation over the points (pykan's std(x)) and the values' standard deviation.
/// </summary>
internal sealed class DerivativeSamples
{
    private DerivativeSamples(DifferentiableFunction function, double[] inputs, int count)
    {
        Function = function;
        int n = function.InputCount;
        InputCount = n;
        Count = count;
        Inputs = inputs;
        Values = new double[count];
        Gradients = new double[count * n];
        Hessians = new double[count * n * n];
        for (int s = 0; s < count; s++)
        {
            Values[s] = function.Evaluate(inputs.AsSpan(s * n, n), Gradients.AsSpan(s * n, n), Hessians.AsSpan(s * n * n, n * n));
        }

        InputSpread = new double[n];
        for (int i = 0; i < n; i++)
        {
            InputSpread[i] = StandardDeviation(Enumerable.Range(0, count).Select(s => inputs[s * n + i]));
        }

        ValueSpread = Spread(Values);
    }

    private DerivativeSamples(DifferentiableFunction function, DerivativeSamples source, Func<double, (double Value, double Slope, double Curvature)> transform)
    {
        Function = function;
        int n = source.InputCount;
        InputCount = n;
        Count = source.Count;
        Inputs = source.Inputs;
        InputSpread = source.InputSpread;
        Values = new double[Count];
        Gradients = new double[Count * n];
        Hessians = new double[Count * n * n];
        for (int s = 0; s < Count; s++)
        {
            var (z, dz, d2z) = transform(source.Values[s]);
            Values[s] = z;
            for (int i = 0; i < n; i++)
            {
                double gi = source.Gradients[s * n + i];
                Gradients[s * n + i] = dz * gi;
                for (int j = 0; j < n; j++)
                {
                    int k = (s * n + i) * n + j;
                    Hessians[k] = d2z * gi * source.Gradients[s * n + j] + dz * source.Hessians[k];
                }
            }
        }

        ValueSpread = Spread(Values);
    }

    public DifferentiableFunction Function { get; }

    public int InputCount { get; }

    public int Count { get; }

    /// <summary>Row-major points, <see cref="Count"/> × <see cref="InputCount"/>.</summary>
    public double[] Inputs { get; }

    public double[] Values { get; }

    /// <summary>∂f/∂x_i of sample s at [s·n + i].</summary>
    public double[] Gradients { get; }

    /// <summary>∂²f/∂x_i∂x_j of sample s at [(s·n + i)·n + j].</summary>
    public double[] Hessians { get; }

    /// <summary>Standard deviation of each input over the points.</summary>
    public double[] InputSpread { get; }

    /// <summary>
    /// The values' spread: their interquartile range over 1.349 (the standard deviation of normal data), which a few
    /// huge values near a pole cannot inflate; their standard deviation when that range is 0.
    /// </summary>
    public double ValueSpread { get; }

    /// <summary>Evaluates the function at every row of <paramref name="inputs"/> (row-major, n values per row).</summary>
    /// <exception cref="ArgumentException">The rows are not whole, or there are fewer than two.</exception>
    public static DerivativeSamples Evaluate(DifferentiableFunction function, ReadOnlySpan<double> inputs)
    {
        ArgumentNullException.ThrowIfNull(function);
        int n = function.InputCount;
        int count = SampleBatch.CountFinite(inputs, n, nameof(inputs), minSamples: 2, what: "sample points", purpose: "a hypothesis test");
        return new DerivativeSamples(function, inputs.ToArray(), count);
    }

    /// <summary>
    /// The samples of z = T(f) from these by the chain rule (no new evaluation), given T's value and first two
    /// derivatives; <paramref name="function"/> is z itself (for tests that evaluate elsewhere).
    /// </summary>
    public DerivativeSamples Map(Func<double, (double Value, double Slope, double Curvature)> transform, DifferentiableFunction function) =>
        new(function, this, transform);

    public ReadOnlySpan<double> Point(int s) => Inputs.AsSpan(s * InputCount, InputCount);

    public ReadOnlySpan<double> Gradient(int s) => Gradients.AsSpan(s * InputCount, InputCount);

    public double Hessian(int s, int i, int j) => Hessians[(s * InputCount + i) * InputCount + j];

    /// <summary>The smallest and largest value of each input over the points: where companion points may go.</summary>
    public (double Min, double Max)[] Box()
    {
        int n = InputCount;
        var box = new (double, double)[n];
        for (int i = 0; i < n; i++)
        {
            double min = double.PositiveInfinity, max = double.NegativeInfinity;
            for (int s = 0; s < Count; s++)
            {
                min = Math.Min(min, Inputs[s * n + i]);
                max = Math.Max(max, Inputs[s * n + i]);
            }

            box[i] = (min, max);
        }

        return box;
    }

    /// <summary>The median of the finite values (+∞ when none is): robust to the few points near a singularity.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        if (finite.Length == 0)
        {
            return double.PositiveInfinity;
        }

        Array.Sort(finite);
        int half = finite.Length / 2;
        return finite.Length % 2 == 1 ? finite[half] : 0.5 * (finite[half - 1] + finite[half]);
    }

    private static double Spread(double[] values)
    {
        double robust = HypothesisScores.RobustSpread(values);
        return robust > 0.0 ? robust : StandardDeviation(values);
    }

    public static double StandardDeviation(IEnumerable<double> values)
    {
        var array = values.ToArray();
        if (array.Length == 0)
        {
            return 0.0;
        }

        double mean = 0.0;
        foreach (double v in array)
        {
            mean += v;
        }

        mean /= array.Length;
        double sum = 0.0;
        foreach (double v in array)
        {
            sum += (v - mean) * (v - mean);
        }

        return Math.Sqrt(sum / array.Length);
    }
}
