using KanCompile;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace ScalingLaws;

/// <summary>
/// The log-log plot of Fig. 2.3 (right): test RMSE against parameter count for each model, with splines continued
/// smoothly beyond the grid and with pykan's padding zone, the test RMSE of the points within the training range, and
/// the N^-4 law.
/// </summary>
public static class ScalingPlot
{
    /// <summary>
    /// Writes a PNG with, per model, the test RMSE over all points for each behaviour beyond the grid (solid: smooth,
    /// dashed: pykan) and over the points within the training range (dotted, one behaviour: inside the grid both compute
    /// the same), plus the theory's N^-4 line through <paramref name="anchor"/>.
    /// ScottPlot has no native log axis: the data are plotted as log10 values and the ticks print powers of ten.
    /// </summary>
    public static void Save(string path, IReadOnlyList<GridResult> results, GridResult anchor)
    {
        var plot = new Plot();
        foreach (var model in results.GroupBy(r => r.Model))
        {
            Color? color = null;
            foreach (var behaviour in model.GroupBy(r => r.BeyondGrid).OrderByDescending(g => g.Key))
            {
                double[] xs = behaviour.Select(r => Math.Log10(r.Parameters)).ToArray();
                var line = plot.Add.Scatter(xs, behaviour.Select(r => Math.Log10(r.TestRmse)).ToArray());
                line.LegendText = $"KAN {model.Key} test RMSE, {(behaviour.Key == KanBeyondGrid.Smooth ? "smooth beyond the grid" : "pykan's padding zone, then 0")}";
                line.Color = color ??= line.Color;
                line.LinePattern = behaviour.Key == KanBeyondGrid.Smooth ? LinePattern.Solid : LinePattern.Dashed;
                line.MarkerShape = behaviour.Key == KanBeyondGrid.Smooth ? MarkerShape.FilledCircle : MarkerShape.FilledSquare;
                line.MarkerSize = 7;
                line.LineWidth = 2;
            }

            // Inside the grid both behaviours compute the same; the in-range curve of the first one stands for both.
            var first = model.GroupBy(r => r.BeyondGrid).OrderByDescending(g => g.Key).First();
            var inRange = plot.Add.Scatter(first.Select(r => Math.Log10(r.Parameters)).ToArray(), first.Select(r => Math.Log10(r.TestRmseInRange)).ToArray());
            inRange.LegendText = $"KAN {model.Key} test RMSE, points within the training range";
            inRange.Color = color ?? Colors.Black;
            inRange.LinePattern = LinePattern.Dotted;
            inRange.MarkerShape = MarkerShape.OpenCircle;
            inRange.MarkerSize = 7;
        }

        // y = y0 (N / N0)^-4 over the whole parameter range.
        double minN = results.Min(r => r.Parameters), maxN = results.Max(r => r.Parameters);
        double[] referenceX = { Math.Log10(minN), Math.Log10(maxN) };
        double[] referenceY = referenceX.Select(x => Math.Log10(anchor.TestRmseInRange) - 4 * (x - Math.Log10(anchor.Parameters))).ToArray();
        var reference = plot.Add.Scatter(referenceX, referenceY);
        reference.LegendText = $"N^-4 (through {anchor.Model} G = {anchor.GridSize})";
        reference.LinePattern = LinePattern.Dashed;
        reference.Color = Colors.Gray;
        reference.MarkerSize = 0;

        plot.Axes.Bottom.TickGenerator = PowersOfTen();
        plot.Axes.Left.TickGenerator = PowersOfTen();
        double lowest = results.Min(r => Math.Log10(Math.Min(r.TestRmse, r.TestRmseInRange))), highest = results.Max(r => Math.Log10(r.TestRmse));
        plot.Axes.SetLimits(Math.Log10(minN) - 0.1, Math.Log10(maxN) + 0.1, lowest - 2.0, highest + 0.5); // room below the data for the legend
        plot.Title($"Grid extension: f(x, y) = exp(sin(πx) + y²), data seed {anchor.DataSeed}");
        plot.XLabel("number of parameters");
        plot.YLabel("test error");
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 900, 650);
    }

    private static NumericAutomatic PowersOfTen() => new()
    {
        MinorTickGenerator = new LogMinorTickGenerator(),
        IntegerTicksOnly = true,
        LabelFormatter = exponent => exponent == 0 ? "1" : $"1e{exponent:0}",
    };
}
