using System.Globalization;
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
        plot.Axes.Left.TickGenerator = LogTicks(trainLog.Concat(testLog));
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
            reg.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = "reg";
        }

        plot.Title(string.Create(CultureInfo.InvariantCulture, $"Fit: {result.Steps} steps ({result.ExitReason}), final test RMSE {result.TestRmse[^1]:E2}"));
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

    /// <summary>Ticks for log10-transformed data, labelled with the original values; decades only when the data spans one.</summary>
    private static NumericAutomatic LogTicks(IEnumerable<double> logValues)
    {
        double[] values = logValues.ToArray();
        bool decades = values.Length > 0 && values.Max() - values.Min() >= 1.0;
        return new NumericAutomatic
        {
            MinorTickGenerator = new LogMinorTickGenerator(),
            IntegerTicksOnly = decades,
            LabelFormatter = y => Math.Pow(10.0, y).ToString(decades ? "0.#E+0" : "G3", CultureInfo.InvariantCulture),
        };
    }
}
