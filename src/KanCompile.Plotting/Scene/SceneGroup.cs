namespace KanCompile.Plotting.Scene;

/// <summary>
/// Shapes drawn together with one opacity (an edge: its two strokes, its box and its curve). Group opacity
/// composites the group as a whole, as pykan's per-edge alpha does, so overlapping parts do not darken.
/// </summary>
/// <param name="Class">Semantic name written to SVG (<c>node</c>, <c>edge</c>, <c>label</c>).</param>
/// <param name="Opacity">0 (invisible) to 1.</param>
/// <param name="Attributes">Extra SVG <c>data-*</c> attributes naming what the group shows (layer, input, output, score).</param>
/// <param name="Shapes">Drawn in order.</param>
internal sealed record SceneGroup(string Class, double Opacity, IReadOnlyList<KeyValuePair<string, string>> Attributes, IReadOnlyList<SceneShape> Shapes);
