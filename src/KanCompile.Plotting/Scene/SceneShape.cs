namespace KanCompile.Plotting.Scene;

/// <summary>
/// One vector primitive of a diagram, in scene units (SVG user units: x to the right, y downwards).
/// The renderers draw exactly these, so the SVG and the PNG show the same picture.
/// </summary>
internal abstract record SceneShape;

/// <summary>A straight stroke.</summary>
internal sealed record SceneLine(double X1, double Y1, double X2, double Y2, SceneColor Stroke, double StrokeWidth) : SceneShape;

/// <summary>An open stroked path through <see cref="Points"/> (x, y pairs).</summary>
internal sealed record ScenePolyline(IReadOnlyList<(double X, double Y)> Points, SceneColor Stroke, double StrokeWidth) : SceneShape;

/// <summary>A filled disc.</summary>
internal sealed record SceneCircle(double CenterX, double CenterY, double Radius, SceneColor Fill, string Class) : SceneShape;

/// <summary>A rectangle with a white fill and a coloured frame (an edge's curve box).</summary>
internal sealed record SceneBox(double X, double Y, double Width, double Height, SceneColor Stroke, double StrokeWidth, string Class) : SceneShape;

/// <summary>Horizontally centred text whose baseline sits at <see cref="Y"/>.</summary>
internal sealed record SceneText(double X, double Y, string Text, double FontSize, string Class) : SceneShape;
