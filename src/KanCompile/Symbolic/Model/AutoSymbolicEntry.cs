namespace KanCompile.Symbolic;

/// <summary>What <see cref="KanModel.AutoSymbolic(SymbolicLibrary?, double, double)"/> did with one edge.</summary>
public enum AutoSymbolicAction
{
    /// <summary>Already symbolic only (numeric mask 0, symbolic mask non-zero): left alone.</summary>
    SkippedAlreadySymbolic,

    /// <summary>Both masks were 0 (a pruned edge): fixed to the constant '0'.</summary>
    FixedZero,

    /// <summary>Fixed to the best suggestion.</summary>
    Fixed,

    /// <summary>The best suggestion's r² was below the threshold: the edge stays numeric.</summary>
    BelowThreshold,
}

/// <summary>One edge of an <see cref="KanModel.AutoSymbolic(SymbolicLibrary?, double, double)"/> report (pykan prints one line per edge).</summary>
/// <param name="Edge">The edge.</param>
/// <param name="Action">What was done.</param>
/// <param name="FunctionName">The function fixed or suggested; null when skipped.</param>
/// <param name="RSquared">r² of the suggestion (or of the fix); NaN when skipped.</param>
/// <param name="Complexity">The function's complexity; 0 when skipped.</param>
public sealed record AutoSymbolicEntry(KanEdge Edge, AutoSymbolicAction Action, string? FunctionName, double RSquared, int Complexity)
{
    /// <inheritdoc/>
    public override string ToString() => Action switch
    {
        AutoSymbolicAction.SkippedAlreadySymbolic => $"skipping {Edge} since already symbolic",
        AutoSymbolicAction.FixedZero => $"fixing {Edge} with 0",
        AutoSymbolicAction.Fixed => $"fixing {Edge} with {FunctionName}, r2={RSquared}, c={Complexity}",
        _ => $"For {Edge} the best fit was {FunctionName}, but r^2 = {RSquared} is below the threshold; the edge stays numeric.",
    };
}
