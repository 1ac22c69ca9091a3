namespace KanCompile.Cli;

/// <summary>Draws a model for <c>kan fit --plot</c> and <c>kan plot</c> (KanCompile.Plotting: .svg or .png).</summary>
internal static class ModelPlot
{
    /// <summary>Refuses an output path whose extension the plotter cannot write, before any work is done.</summary>
    public static void RequireSupportedExtension(string? path, string option)
    {
        if (path is null)
        {
            return;
        }

        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not ".svg" and not ".png")
        {
            throw new KanCliException($"{option} '{path}' must end in .svg or .png.", ExitCodes.UsageError);
        }
    }

    /// <summary>
    /// Writes the diagram; with <paramref name="samples"/> the edges fade by attribution score as in pykan,
    /// without them (a saved model has no samples) every live edge is drawn over its grid range.
    /// </summary>
    public static void Write(KanModel model, string path, IReadOnlyList<string>? inputNames, IReadOnlyList<string>? outputNames, double[]? samples)
    {
        var options = new KanPlotOptions
        {
            InputNames = inputNames is { } names && names.Count == model.InputCount ? names.ToArray() : null,
            OutputNames = outputNames is { } outputs && outputs.Count == model.OutputCount ? outputs.ToArray() : null,
            Inputs = samples,
        };
        model.Plot(path, options);
    }
}
