using System.Globalization;
using KanCompile.Plotting.Scene;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace KanCompile.Plotting;

/// <summary>The training chart: RMSE per step on a log axis (left), regulariser on a linear axis (right).</summary>
internal static class LossChart
{
    public static void WritePng(FitResult result, string path, int width, int height)
    {
        if (width < 100 || height < 100 || width > 10_000 || height > 10_000)
        {
            throw new ArgumentOutOfRangeException(width < 100 || width > 10_000 ? nameof(width) : nameof(height), "The loss chart must be between 100 and 10000 pixels on each side.");
        }

        if (result.Steps == 0)
        {
            throw new ArgumentException("The fit recorded no steps, so there is no loss to plot.", nameof(result));
        }

        var plot = new Plot();
        var (trainSteps, trainLog) = LogPositive(result.TrainRmse);
        var (testSteps, testLog) = LogPositive(result.TestRmse);
        var train = plot.Add.Scatter(trainSteps, trainLog);
        train.LegendText = "train RMSE";
        var test = plot.Add.Scatter(testSteps, testLog);
        test.LegendText = "test RMSE";
        train.MarkerSize = 4;
        test.MarkerSize = 4;
        SetLogAxis(plot, trainLog.Concat(testLog).ToArray());
        plot.Axes.Left.Label.Text = "RMSE (log scale)";
        plot.Axes.Bottom.Label.Text = "step";

        // Only computed when λ > 0 (and on the last step), so a single point or all zeros is not worth an axis.
        var regSteps = new List<double>();
        var regValues = new List<double>();
        for (int s = 0; s < result.Regularization.Count; s++)
        {
            if (result.Regularization[s] > 0.0)
            {
                regSteps.Add(s + 1);
                regValues.Add(result.Regularization[s]);
            }
        }

        if (regValues.Count > 1)
        {
            var reg = plot.Add.Scatter(regSteps.ToArray(), regValues.ToArray());
            reg.LegendText = "reg";
            reg.LinePattern = LinePattern.Dashed;
            reg.MarkerSize = 3;
            reg.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = "reg";
        }

        plot.Title(string.Create(CultureInfo.InvariantCulture, $"Fit: {result.Steps} steps ({result.ExitReason}), final test RMSE {result.TestRmse[^1]:E2}"));
        plot.Font.Set(DiagramFont.Typeface.FamilyName);
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, width, height);
    }

    /// <summary>log10 of the positive entries with their 1-based steps (a zero RMSE has no place on a log axis).</summary>
    private static (double[] Steps, double[] Log) LogPositive(IReadOnlyList<double> values)
    {
        var steps = new List<double>();
        var logs = new List<double>();
        for (int s = 0; s < values.Count; s++)
        {
            if (values[s] > 0.0 && double.IsFinite(values[s]))
            {
                steps.Add(s + 1);
                logs.Add(Math.Log10(values[s]));
            }
        }

        return (steps.ToArray(), logs.ToArray());
    }

    /// <summary>
    /// A log10 axis over log-transformed data, labelled with the original values. Data spanning half a decade
    /// or more gets whole decades (limits and ticks); a narrower band keeps automatic ticks so it is not squashed.
    /// </summary>
    private static void SetLogAxis(Plot plot, double[] logValues)
    {
        double low = logValues.Length > 0 ? logValues.Min() : -1.0, high = logValues.Length > 0 ? logValues.Max() : 0.0;
        bool decades = high - low >= 0.5;
        plot.Axes.Left.TickGenerator = new NumericAutomatic
        {
            MinorTickGenerator = new LogMinorTickGenerator(),
            IntegerTicksOnly = decades,
            LabelFormatter = y => Math.Pow(10.0, y).ToString(decades ? "0E+0" : "G3", CultureInfo.InvariantCulture),
        };
        if (decades)
        {
            // A hair beyond the decades so the end ticks are inside the axis and get their labels.
            plot.Axes.SetLimitsY(Math.Floor(low) - 0.01, Math.Ceiling(high) + 0.01, plot.Axes.Left);
        }
    }
}
