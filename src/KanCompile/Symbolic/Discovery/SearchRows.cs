namespace KanCompile.Symbolic.Discovery;

/// <summary>Row-major samples the search trains or scores on (a slice of the dataset's training rows).</summary>
internal sealed class SearchRows
{
    // Spline terms of the first layer, per (input column, knot row): they depend only on the rows, which never change.
    private readonly Dictionary<(int Column, double[] Knots), InputSplineTerms> _inputTerms = [];

    public SearchRows(double[] inputs, double[] labels, int inputCount, int outputCount)
    {
        Inputs = inputs;
        Labels = labels;
        InputCount = inputCount;
        OutputCount = outputCount;
        Count = labels.Length / outputCount;
    }

    public double[] Inputs { get; }

    public double[] Labels { get; }

    public int InputCount { get; }

    public int OutputCount { get; }

    public int Count { get; }

    public ReadOnlySpan<double> Row(int index) => Inputs.AsSpan(index * InputCount, InputCount);

    /// <summary>Root mean square of the labels: the scale RMSEs are judged against.</summary>
    public double LabelScale()
    {
        double sum = 0.0;
        foreach (double y in Labels)
        {
            sum += y * y;
        }

        return Math.Sqrt(sum / Math.Max(1, Labels.Length));
    }

    /// <summary>Standard deviation of the labels (over all outputs): how much there is to explain.</summary>
    public double LabelSpread()
    {
        double mean = Labels.Length == 0 ? 0.0 : Labels.Average();
        double sum = 0.0;
        foreach (double y in Labels)
        {
            sum += (y - mean) * (y - mean);
        }

        return Math.Sqrt(sum / Math.Max(1, Labels.Length));
    }

    /// <summary>
    /// The basis window and base function of every row's input <paramref name="column"/> on
    /// <paramref name="knots"/>, computed once per rows and knot row (first-layer edges read them instead of
    /// re-evaluating the recursion at every optimiser step).
    /// </summary>
    public InputSplineTerms InputTerms(int column, double[] knots, int order, KanBaseFunction baseFunction, KanBeyondGrid beyondGrid)
    {
        // A knot row belongs to one model, so it always comes with the same behaviour beyond the grid.
        if (!_inputTerms.TryGetValue((column, knots), out var terms))
        {
            terms = new InputSplineTerms(this, column, knots, order, baseFunction, beyondGrid);
            _inputTerms[(column, knots)] = terms;
        }

        return terms;
    }

    /// <summary>The first <paramref name="count"/> rows (the rows are already shuffled).</summary>
    public SearchRows Take(int count)
    {
        count = Math.Min(count, Count);
        return new SearchRows(Inputs[..(count * InputCount)], Labels[..(count * OutputCount)], InputCount, OutputCount);
    }
}
