using System.Diagnostics;
using KanCompile;

namespace ScalingLaws;

/// <summary>One grid of the staircase: the model after its fit on that grid.</summary>
/// <param name="Model">Model name, e.g. "[2,5,1]".</param>
/// <param name="BeyondGrid">What the model's splines do beyond their grids.</param>
/// <param name="DataSeed">Seed of the dataset draw.</param>
/// <param name="GridSize">Grid intervals G.</param>
/// <param name="Parameters">Trainable parameter count (coefficients, scale_base and scale_sp).</param>
/// <param name="TrainRmse">Training RMSE after the fit.</param>
/// <param name="TestRmse">Test RMSE after the fit (all test points).</param>
/// <param name="TestRmseInRange">Test RMSE over the test points whose activations stay, at every node, within the range the
/// training inputs reach (interpolation; the others lie beyond the grid, where the spline extrapolates).</param>
/// <param name="OutOfRange">Test points outside that range at some node.</param>
/// <param name="TestRootMedian">√(median squared test error): the paper's second measure, blind to a few outliers.</param>
/// <param name="Seconds">Refine (to this grid) plus fit time.</param>
/// <param name="ExitReason">Why the fit stopped.</param>
public sealed record GridResult(string Model, KanBeyondGrid BeyondGrid, int DataSeed, int GridSize, int Parameters, double TrainRmse, double TestRmse, double TestRmseInRange, int OutOfRange, double TestRootMedian, double Seconds, FitExitReason ExitReason);

/// <summary>
/// The paper's grid-extension experiment (KAN 1.0 §2.4, Fig. 2.3): fit on the first grid, then repeatedly
/// <see cref="KanModel.Refine"/> to the next grid and fit again.
/// </summary>
public static class GridSweep
{
    /// <summary>The paper's schedule.</summary>
    public static readonly int[] Grids = { 3, 5, 10, 20, 50, 100, 200, 500, 1000 };

    /// <summary>
    /// Runs the staircase on <paramref name="model"/> (which must start at <c>Grids[0]</c>) and reports each
    /// grid as soon as it is done.
    /// </summary>
    public static List<GridResult> Run(string name, int dataSeed, KanModel model, KanDataset dataset, FitOptions options, Action<GridResult> report)
    {
        var results = new List<GridResult>();
        foreach (int grid in Grids)
        {
            var clock = Stopwatch.StartNew();
            if (grid != model.GridSize)
            {
                // Refine fits the new splines on LastFitInputs: the training split of the previous fit.
                model.Refine(grid);
            }

            FitResult fit = model.Fit(dataset, options);

            // A fit that stops early (non-finite loss) leaves the best parameters seen: measure those.
            double fitSeconds = clock.Elapsed.TotalSeconds;
            double[] testErrors = SquaredErrors(model, dataset.TestInputs, dataset.TestLabels);
            bool[] inRange = model.WithinActivationRange(dataset.TestInputs, dataset.TrainInputs);
            double[] inRangeErrors = testErrors.Where((_, s) => inRange[s]).ToArray();
            var result = new GridResult(
                name, model.BeyondGrid, dataSeed, grid, model.ParameterCount,
                Math.Sqrt(SquaredErrors(model, dataset.TrainInputs, dataset.TrainLabels).Average()),
                Math.Sqrt(testErrors.Average()),
                inRangeErrors.Length > 0 ? Math.Sqrt(inRangeErrors.Average()) : double.NaN,
                testErrors.Length - inRangeErrors.Length,
                RootMedian(testErrors),
                fitSeconds,
                fit.ExitReason);
            results.Add(result);
            report(result);
            if (fit.ExitReason != FitExitReason.Completed)
            {
                break;
            }
        }

        return results;
    }

    private static double RootMedian(double[] squaredErrors)
    {
        double[] squared = (double[])squaredErrors.Clone();
        Array.Sort(squared);
        int n = squared.Length;
        return Math.Sqrt(n % 2 == 1 ? squared[n / 2] : (squared[n / 2 - 1] + squared[n / 2]) / 2);
    }

    private static double[] SquaredErrors(KanModel model, double[] inputs, double[] labels)
    {
        var predictions = new double[labels.Length];
        model.Predict(inputs, predictions);
        return predictions.Select((p, s) => (p - labels[s]) * (p - labels[s])).ToArray();
    }
}
