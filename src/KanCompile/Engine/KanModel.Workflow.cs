namespace KanCompile;

public abstract partial class KanModel
{
    /// <summary>
    /// The training inputs (row-major) of the last Fit, which Refine, Attribute and AutoSymbolic use by
    /// default. Null before the first Fit.
    /// </summary>
    public double[]? LastFitInputs { get; internal set; }
}
