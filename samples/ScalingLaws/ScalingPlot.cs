using ScottPlot;
using ScottPlot.TickGenerators;

namespace ScalingLaws;

/// <summary>The log-log plot of Fig. 2.3 (right): test RMSE (all test points and those within the training range) against parameter count, with the N^-4 law.</summary>
public static class ScalingPlot
{
    /// <summary>
    /// Writes a PNG with one line per model and the theory's N^-4 line through <paramref name="anchor"/>.
    /// ScottPlot has no native log axis: the data are plotted as log10 values and the ticks print powers of ten.
    /// </summary>
    public static void Save(string path, IReadOnlyList<GridResult> results, GridResult anchor)
    {
        var plot = new Plot();
        foreach (var group in results.GroupBy(r => r.Model))
        {
            double[] xs = group.Select(r => Math.Log10(r.Parameters)).ToArray();
            double[] ys = group.Select(r => Math.Log10(r.TestRmse)).ToArray();
            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = $"KAN {group.Key} test RMSE (G = {string.Join(", ", group.Select(r => r.GridSize))})";
            line.MarkerSize = 7;
            line.LineWidth = 2;

            var inRange = plot.Add.Scatter(xs, group.Select(r => Math.Log10(r.TestRmseInRange)).ToArray());
            inRange.LegendText = $"KAN {group.Key} test RMSE, points within the training range";
            inRange.Color = line.Color;
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
