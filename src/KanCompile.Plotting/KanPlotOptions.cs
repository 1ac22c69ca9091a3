namespace KanCompile;

/// <summary>Options of <see cref="KanPlotExtensions.Plot"/> (pykan's <c>plot()</c> arguments).</summary>
public sealed record KanPlotOptions
{
    /// <summary>
    /// Row-major samples (at least two) that set each edge's transparency through attribution scores and the
    /// x range of each curve. Null means <see cref="KanModel.LastFitInputs"/>; when the model has not been
    /// fitted either, every curve is drawn over its node's grid range at full opacity.
    /// </summary>
    public double[]? Inputs { get; init; }

    /// <summary>Labels under the input nodes (pykan's <c>in_vars</c>); null draws none.</summary>
    public IReadOnlyList<string>? InputNames { get; init; }

    /// <summary>Labels above the output nodes (pykan's <c>out_vars</c>); null draws none.</summary>
    public IReadOnlyList<string>? OutputNames { get; init; }

    /// <summary>Title above the diagram; null draws none.</summary>
    public string? Title { get; init; }

    /// <summary>Sharpness of the transparency: alpha = tanh(<see cref="Beta"/> · edge score) (pykan's <c>beta</c>, default 3).</summary>
    public double Beta { get; init; } = 3.0;

    /// <summary>
    /// What an edge computes, for its colour: black spline, red symbolic, purple both.
    /// Null treats every edge as a spline. Edges whose mask is 0 and that are not symbolic are not drawn.
    /// </summary>
    public Func<KanEdge, KanEdgeKind>? EdgeKind { get; init; }

    /// <summary>Points per edge curve.</summary>
    public int CurvePoints { get; init; } = 64;

    /// <summary>Pixels per diagram unit in PNG output (the SVG is unit-sized); 2 gives a crisp image.</summary>
    public double PngScale { get; init; } = 2.0;
}
