using System.Diagnostics;
using KanCompile;
using ScalingLaws;
using Spectre.Console;

// KAN 1.0 §2.4, Fig. 2.3: grid extension on f(x, y) = exp(sin(πx) + y²), 1000 train / 1000 test points.
// Usage: dotnet run -c Release --project samples/ScalingLaws [output.png]
string plotPath = Path.GetFullPath(args.Length > 0 ? args[0] : "scaling-laws.png");

// Three data draws, all reported: the test RMSE over all points depends on how many test points the draw puts
// beyond the training data's range (see TestRmseInRange). Seed 0 is pykan's default and the one plotted.
int[] dataSeeds = { 0, 1, 2 };

// pykan's fit defaults, as its grid-extension example calls fit(dataset, opt="LBFGS", steps=200): no regulariser,
// grid updates from the training inputs every 5 steps during the first 50 steps of every fit.
var options = new FitOptions { Steps = 200 };

AnsiConsole.MarkupLine($"Grids {string.Join(" → ", GridSweep.Grids)}, {options.Steps} L-BFGS steps each, data seeds {string.Join(", ", dataSeeds)}, {Environment.ProcessorCount} cores");
var total = Stopwatch.StartNew();
var results = new List<GridResult>();
foreach (int dataSeed in dataSeeds)
{
    KanDataset dataset = KanDataset.FromFunction(x => Math.Exp(Math.Sin(Math.PI * x[0]) + x[1] * x[1]), inputCount: 2, seed: dataSeed);
    (string Name, KanModel Model)[] models = { ("[2,1,1]", new Minimal211(seed: 1)), ("[2,5,1]", new Wide251(seed: 1)) };
    foreach (var (name, model) in models)
    {
        results.AddRange(GridSweep.Run(name, dataSeed, model, dataset, options, r =>
            AnsiConsole.MarkupLine($"{Markup.Escape(r.Model)} data seed {r.DataSeed} G = {r.GridSize,4}: train {r.TrainRmse:0.00e+00}, test {r.TestRmse:0.00e+00}, "
                + $"in range {r.TestRmseInRange:0.00e+00} ({r.OutOfRange} outside), √median {r.TestRootMedian:0.00e+00} ({r.Seconds:F1} s, {r.ExitReason})")));
    }
}

total.Stop();

// Piped output has no terminal width; keep the table on one line per row.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = 140;
}

var table = new Table().Border(TableBorder.Rounded).Title("Grid extension, 200 L-BFGS steps per grid");
foreach (string column in new[] { "model", "data", "G", "params", "train RMSE", "test RMSE", "in range", "outside", "test √median", "seconds", "fit" })
{
    table.AddColumn(new TableColumn(column).RightAligned());
}

foreach (var r in results.OrderBy(r => r.Model).ThenBy(r => r.DataSeed).ThenBy(r => r.GridSize))
{
    table.AddRow(Markup.Escape(r.Model), $"{r.DataSeed}", $"{r.GridSize}", $"{r.Parameters}", $"{r.TrainRmse:0.00e+00}", $"{r.TestRmse:0.00e+00}",
        $"{r.TestRmseInRange:0.00e+00}", $"{r.OutOfRange}", $"{r.TestRootMedian:0.00e+00}", $"{r.Seconds:F1}", r.ExitReason.ToString());
}

AnsiConsole.Write(table);
AnsiConsole.MarkupLine("in range: test RMSE over the test points whose activation at every node lies within the range of the training activations "
    + "(the grids span exactly that range; outside, the spline extrapolates in the padding zone, which narrows as 1/G).");
AnsiConsole.MarkupLine($"Total wall time of the sweep: [bold]{total.Elapsed.TotalSeconds:F1} s[/] ({total.Elapsed.TotalMinutes:F1} min)");

// The plot shows pykan's default draw (seed 0); grids whose fit failed or diverged are in the table only.
var plotted = results.Where(r => r.DataSeed == dataSeeds[0] && r.ExitReason == FitExitReason.Completed && r.TrainRmse < 1 && r.TestRmse < 10).ToList();
GridResult anchor = plotted.First(r => r.Model == "[2,1,1]" && r.GridSize == 10);
ScalingPlot.Save(plotPath, plotted, anchor);
AnsiConsole.MarkupLine($"Plot: {Markup.Escape(plotPath)}");
