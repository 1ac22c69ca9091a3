using KanCompile.Interpretability.Hypotheses;
using KanCompile.Plotting;
using KanCompile.Plotting.Scene;

namespace KanCompile;

/// <summary>Pictures of a KAN and of its training: pykan's <c>plot()</c> diagram and a loss chart.</summary>
public static class KanPlotExtensions
{
    /// <summary>
    /// Draws the network as pykan's <c>plot()</c> does: node dots per layer (inputs at the bottom), each edge's
    /// activation φ(x) in its own box between the nodes it joins, edges faded by alpha = tanh(β·score) with
    /// attribution edge scores on <see cref="KanPlotOptions.Inputs"/> (default: <see cref="KanModel.LastFitInputs"/>),
    /// black for splines, red for symbolic edges, purple for both. Each curve spans the values its input node
    /// takes on those samples. A model that has never been fitted and gets no samples is drawn over each node's
    /// grid range with every live edge fully opaque. Pruned edges (mask 0) are left out.
    /// </summary>
    /// <param name="model">The model to draw.</param>
    /// <param name="path">Output file: <c>.svg</c> (vector) or <c>.png</c> (raster, <see cref="KanPlotOptions.PngScale"/> pixels per unit).</param>
    /// <param name="options">Samples, names, title, β and edge kinds; defaults when null.</param>
    /// <exception cref="ArgumentException">The extension is neither .svg nor .png, or names do not match the model.</exception>
    public static void Plot(this KanModel model, string path, KanPlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new KanPlotOptions();
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".svg" or ".png"))
        {
            throw new ArgumentException($"Cannot plot to '{path}': the file must end in .svg or .png.", nameof(path));
        }

        if (extension == ".png" && !(options.PngScale > 0.0 && options.PngScale <= 16.0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.PngScale, "KanPlotOptions.PngScale must be in (0, 16].");
        }

        Write(NetworkDiagram.Build(model, EdgeCurveSampler.Sample(model, options), options), path, options.PngScale);
    }

    /// <summary>
    /// Draws a dependency tree (<see cref="KanHypotheses.GetTree"/>) as pykan's <c>plot_tree</c> does: the inputs along
    /// the bottom, each level's molecules above them, blue strokes into additive (+), multiplicative (×) and
    /// generally separable nodes, a box for a node with no property.
    /// </summary>
    /// <param name="tree">The tree to draw.</param>
    /// <param name="path">Output file: <c>.svg</c> or <c>.png</c>.</param>
    /// <param name="inputNames">One name per input; x1, x2, … when null.</param>
    /// <param name="title">A title above the tree, or none.</param>
    /// <exception cref="ArgumentException">The extension is neither .svg nor .png, or the names do not match the inputs.</exception>
    public static void PlotTree(this DependencyTree tree, string path, IReadOnlyList<string>? inputNames = null, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Path.GetExtension(path).ToLowerInvariant() is not (".svg" or ".png"))
        {
            throw new ArgumentException($"Cannot plot to '{path}': the file must end in .svg or .png.", nameof(path));
        }

        Write(DependencyTreeDiagram.Build(tree, inputNames, title), path, 2.0);
    }

    private static void Write(DiagramScene scene, string path, double pngScale)
    {
        using var stream = File.Create(path);
        if (Path.GetExtension(path).Equals(".svg", StringComparison.OrdinalIgnoreCase))
        {
            SvgSceneWriter.Write(scene, stream);
        }
        else
        {
            SkiaSceneRenderer.WritePng(scene, pngScale, stream);
        }
    }

    /// <summary>
    /// Writes a PNG chart of the fit: train and test RMSE per step on a logarithmic axis, and the regulariser on
    /// a second (right) axis when it was computed (λ &gt; 0).
    /// </summary>
    /// <param name="result">The history returned by Fit.</param>
    /// <param name="pngPath">Output file ending in .png.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    public static void PlotLoss(this FitResult result, string pngPath, int width = 800, int height = 500)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrWhiteSpace(pngPath);
        if (!string.Equals(Path.GetExtension(pngPath), ".png", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"Cannot plot the loss to '{pngPath}': the file must end in .png.", nameof(pngPath));
        }

        LossChart.WritePng(result, pngPath, width, height);
    }
}
