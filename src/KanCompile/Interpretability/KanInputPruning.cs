namespace KanCompile;

/// <summary>
/// The result of <see cref="KanModel.PruneInput(ReadOnlySpan{double}, double)"/>: a model over the kept inputs
/// and the original column of each (pykan's <c>input_id</c>). pykan's pruned model still accepts full-width rows
/// and selects the columns itself; here the model takes only the kept inputs and <see cref="SelectInputs"/> or
/// <see cref="Predict"/> narrow full-width rows, so the model keeps one fixed input width.
/// </summary>
public sealed class KanInputPruning
{
    private readonly int[] _inputIds;

    internal KanInputPruning(KanNetwork model, int[] inputIds, int originalInputCount)
    {
        Model = model;
        _inputIds = inputIds;
        OriginalInputCount = originalInputCount;
    }

    /// <summary>The model over the kept inputs.</summary>
    public KanNetwork Model { get; }

    /// <summary>Original column of each input of <see cref="Model"/>, ascending.</summary>
    public IReadOnlyList<int> InputIds => _inputIds;

    /// <summary>Input width of the model that was pruned.</summary>
    public int OriginalInputCount { get; }

    /// <summary>Copies the kept columns of full-width row-major samples into <paramref name="selected"/>.</summary>
    public void SelectInputs(ReadOnlySpan<double> fullRows, Span<double> selected)
    {
        int count = SampleBatch.Count(fullRows, OriginalInputCount, nameof(fullRows), minSamples: 0, what: "full-width rows");
        if (selected.Length < count * _inputIds.Length)
        {
            throw new ArgumentException($"The destination has {selected.Length} values; {count} samples of {_inputIds.Length} kept inputs need {count * _inputIds.Length}.", nameof(selected));
        }

        for (int s = 0; s < count; s++)
        {
            for (int c = 0; c < _inputIds.Length; c++)
            {
                selected[s * _inputIds.Length + c] = fullRows[s * OriginalInputCount + _inputIds[c]];
            }
        }
    }

    /// <summary>Evaluates full-width row-major samples (as pykan's pruned model does) by selecting the kept columns first.</summary>
    public void Predict(ReadOnlySpan<double> fullRows, Span<double> outputs)
    {
        var selected = new double[fullRows.Length / OriginalInputCount * _inputIds.Length];
        SelectInputs(fullRows, selected);
        Model.Predict(selected, outputs);
    }
}
