namespace KanCompile.Plotting;

/// <summary>What the diagram shows of one edge: its colour class, its opacity and its curve φ(x).</summary>
/// <param name="Edge">The edge drawn.</param>
/// <param name="Kind">Spline, symbolic or both (sets the colour).</param>
/// <param name="Alpha">Opacity, tanh(β·score), or 1 without samples.</param>
/// <param name="Score">Attribution edge score, or null when no samples were available.</param>
/// <param name="X">Increasing points across the input node's range.</param>
/// <param name="Y">φ at <paramref name="X"/>.</param>
internal sealed record EdgeCurve(KanEdge Edge, KanEdgeKind Kind, double Alpha, double? Score, double[] X, double[] Y);
