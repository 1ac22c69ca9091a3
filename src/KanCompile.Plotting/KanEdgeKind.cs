namespace KanCompile;

/// <summary>What an edge computes, which sets its colour in <see cref="KanPlotExtensions.Plot"/> (pykan's convention).</summary>
public enum KanEdgeKind
{
    /// <summary>A learned spline (numeric branch only): drawn black.</summary>
    Spline = 0,

    /// <summary>A fixed symbolic function (symbolic branch only): drawn red.</summary>
    Symbolic = 1,

    /// <summary>Both branches active: drawn purple.</summary>
    Both = 2,
}
