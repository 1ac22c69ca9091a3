namespace KanCompile;

public abstract partial class KanModel
{
    /// <summary>
    /// The training inputs (row-major) of the last Fit, which the overloads of Refine, Attribute, Prune,
    /// FixSymbolic, SuggestSymbolic and AutoSymbolic without an inputs argument use. Null before the first Fit.
    /// </summary>
    public double[]? LastFitInputs { get; internal set; }

    /// <summary>The last fit's inputs for an overload called without samples; a clear error before any fit.</summary>
    private double[] LastFitSamples(string operation) => LastFitInputs ?? throw new InvalidOperationException(
        $"{operation} without inputs uses LastFitInputs, the last fit's training inputs, but the model has not been fitted: " +
        $"call Fit first, or pass inputs (row-major, {InputCount} values per sample).");

    /// <summary>
    /// An overload given samples must get some: an empty span is an error, never a silent switch to
    /// <see cref="LastFitInputs"/>.
    /// </summary>
    private void RequireSamples(ReadOnlySpan<double> inputs, string operation)
    {
        if (inputs.IsEmpty)
        {
            throw new ArgumentException(
                $"{operation} was given no samples (an empty span). Pass row-major samples of {InputCount} inputs each, " +
                $"or call the {operation} overload without inputs to use the last fit's training inputs.", "inputs");
        }
    }
}
