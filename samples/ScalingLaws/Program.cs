using System.Diagnostics;
using KanCompile;
using ScalingLaws;
using Spectre.Console;

// KAN 1.0 §2.4, Fig. 2.3: grid extension on f(x, y) = exp(sin(πx) + y²), 1000 train / 1000 test points.
// Usage: dotnet run -c Release --project samples/ScalingLaws [output.png]
string plotPath = Path.GetFullPath(args.Length > 0 ? args[0] : "scaling-laws.png");

KanDataset dataset = KanDataset.FromFunction(x => Math.Exp(Math.Sin(Math.PI * x[0]) + x[1] * x[1]), inputCount: 2, seed: 0);

// pykan's fit defaults, as its grid-extension example calls fit(dataset, opt="LBFGS", steps=200): no regulariser,
// grid updates from the training inputs every 5 steps during the first 50 steps of every fit.
var options = new FitOptions { Steps = 200 };

(string Name, KanModel Model)[] models = { ("[2,1,1]", new Minimal211(seed: 1)), ("[2,5,1]", new Wide251(seed: 1)) };

AnsiConsole.MarkupLine($"Grids {string.Join(" → ", GridSweep.Grids)}, {options.Steps} L-BFGS steps each, {Environment.ProcessorCount} cores");
var total = Stopwatch.StartNew();
var results = new List<GridResult>();
foreach (var (name, model) in models)
{
    results.AddRange(GridSweep.Run(name, model, dataset, options, r =>
        AnsiConsole.MarkupLine($"{Markup.Escape(r.Model)} G = {r.GridSize,4}: train {r.TrainRmse:0.00e+00}, test {r.TestRmse:0.00e+00}, test √median {r.TestRootMedian:0.00e+00} ({r.Seconds:F1} s, {r.ExitReason})")));
}

total.Stop();

// Piped output has no terminal width; keep the table on one line per row.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = 120;
}

var table = new Table().Border(TableBorder.Rounded).Title("Grid extension, 200 L-BFGS steps per grid");
foreach (string column in new[] { "model", "G", "params", "train RMSE", "test RMSE", "test √median", "seconds", "fit" })
{
    table.AddColumn(new TableColumn(column).RightAligned());
}

foreach (var r in results)
{
    table.AddRow(Markup.Escape(r.Model), $"{r.GridSize}", $"{r.Parameters}", $"{r.TrainRmse:0.00e+00}", $"{r.TestRmse:0.00e+00}", $"{r.TestRootMedian:0.00e+00}", $"{r.Seconds:F1}", r.ExitReason.ToString());
}

AnsiConsole.Write(table);
AnsiConsole.MarkupLine($"Total wall time of the sweep: [bold]{total.Elapsed.TotalSeconds:F1} s[/] ({total.Elapsed.TotalMinutes:F1} min)");

GridResult anchor = results.First(r => r.Model == "[2,1,1]" && r.GridSize == 10);
// Grids whose fit failed or diverged (errors above the labels' own scale, 1 to 7) are in the table, not on the plot.
var plotted = results.Where(r => r.ExitReason == FitExitReason.Completed && r.TrainRmse < 1 && r.TestRmse < 10).ToList();
ScalingPlot.Save(plotPath, plotted, anchor);
AnsiConsole.MarkupLine($"Plot: {Markup.Escape(plotPath)}");
