namespace KanCompile.Plotting.Scene;

/// <summary>A whole picture: a canvas size in scene units and the groups drawn on it, back to front.</summary>
internal sealed record DiagramScene(double Width, double Height, string? Title, IReadOnlyList<SceneGroup> Groups);
