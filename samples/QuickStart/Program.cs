using System.Diagnostics;
using KanCompile;
using KanCompile.Symbolic;
using Spectre.Console;

// pykan's quick-start (hellokan): fit f(x, y) = exp(sin(πx) + y²) with a [2, 5, 1] KAN, prune it to [2, 1, 1],
// refine the grid, snap every edge to a library function and read off the formula.
static double Target(double x, double y) => Math.Exp(Math.Sin(Math.PI * x) + y * y);

// Wall time of each phase, printed beside pykan's on the same kind of machine (shared/reference/anchors.md: pykan
// 0.2.8, float64, 2-vCPU AMD EPYC, AVX2-only host; its AVX-512 host took 39.3 s in all).
var clock = Stopwatch.StartNew();
var phases = new List<(string Phase, double Seconds, double Pykan)>();
double lastMark = 0.0;
void Phase(string name, double pykanSeconds)
{
    double now = clock.Elapsed.TotalSeconds;
    phases.Add((name, now - lastMark, pykanSeconds));
    lastMark = now;
}

var model = new ToyKan(seed: 1);
AnsiConsole.MarkupLine($"[bold]ToyKan[/]: widths [[{string.Join(", ", model.Widths)}]], G = {model.GridSize}, k = {model.SplineOrder}, {model.ParameterCount} parameters");

// 1000 train + 1000 test points uniform on [-1, 1]², as pykan's create_dataset.
KanDataset dataset = KanDataset.FromFunction(x => Target(x[0], x[1]), inputCount: 2);

// pykan's recipe: 50 L-BFGS steps, λ = 1e-3, grid updates every 5 steps until step 50.
var options = new FitOptions { Steps = 50, Lambda = 1e-3 };

FitResult result = Console.IsOutputRedirected ? FitPrintingEveryTenthStep(model, options) : FitWithLiveTable(model, options);
Phase("start-up, data and fit 50 (λ = 1e-3)", 19.5);

AnsiConsole.MarkupLine(
    $"[green]{result.ExitReason}[/] after {result.Steps} steps in {result.Elapsed.TotalSeconds:F2} s: "
    + $"train RMSE {result.TrainRmse[^1]:E3}, test RMSE {result.TestRmse[^1]:E3}, reg {result.Regularization[^1]:F3} (pykan: 1.85e-2 / 1.77e-2, reg 6.93)");

// pykan's model.plot(): the network with every edge's curve, faded by its attribution score; and the loss history.
// Drawn on another core while the workflow goes on: they only read the trained model (Prune leaves it unchanged),
// and files are their only output, so nothing printed depends on when they finish.
string output = Directory.CreateDirectory("output").FullName;
var plotOptions = new KanPlotOptions { InputNames = ["x", "y"], OutputNames = ["f"], Title = "exp(sin(πx) + y²)" };
Task drawing = Task.Run(() =>
{
    model.Plot(Path.Combine(output, "quickstart.svg"), plotOptions);
    model.Plot(Path.Combine(output, "quickstart.png"), plotOptions);
    result.PlotLoss(Path.Combine(output, "quickstart-loss.png"));

    // The trained splines as plain C# an app compiles in with no KanCompile dependency.
    File.WriteAllText(Path.Combine(output, "ToyKanModel.cs"), model.ExportCSharp("ToyKanModel", "QuickStart.Exported"));
});

// The rest of pykan's quick-start: prune to the skeleton, refine the grid, snap edges to functions, read the formula.
var plain = new FitOptions { Steps = 50 };
KanNetwork pruned = model.Prune();
Report($"prune → [{string.Join(", ", pruned.Widths)}]", pruned.Fit(dataset, plain), "pykan: 1.79e-2 / 1.72e-2");
Phase("prune and fit 50", 0.04 + 10.6);
pruned.Refine(10);
Report("refine → G = 10", pruned.Fit(dataset, plain), "pykan: 4.67e-4 / 4.73e-4");
Phase("refine 10 and fit 50", 0.04 + 11.4);
var library = SymbolicLibrary.Create("x", "x^2", "x^3", "x^4", "exp", "log", "sqrt", "tanh", "sin", "abs");
foreach (AutoSymbolicEntry entry in pruned.AutoSymbolic(library))
{
    AnsiConsole.MarkupLine(Markup.Escape(entry.ToString()));
}

Phase("auto_symbolic (10 functions)", 27.9);

// pykan fits 50 more L-BFGS steps here; Levenberg–Marquardt (KanCompile's, for small models such as this formula)
// takes the formula's constants to machine precision on any machine instead of stalling short of it, and stops once a
// step changes nothing. Every edge is symbolic now, so there is no spline grid left to update.
Report("auto-symbolic, then Levenberg–Marquardt", pruned.Fit(dataset, new FitOptions { Steps = 50, Optimizer = KanOptimizer.LevenbergMarquardt, UpdateGrid = false }), "pykan after fit 50: 3.33e-10 / 7.20e-11");
KanFormula formula = pruned.SymbolicFormula(["x1", "x2"], roundDigits: 4);
double formulaRmse = FormulaTestRmse(pruned.SymbolicFormula(["x1", "x2"]));
Phase("fit and symbolic_formula", 4.0 + 0.2);
AnsiConsole.MarkupLine($"formula: [bold]{Markup.Escape(formula.ToText())}[/] (pykan: 1.0*exp(1.0*x_2**2 + 1.0*sin(3.1416*x_1))), test RMSE {formulaRmse:E2}");
pruned.Plot(Path.Combine(output, "quickstart-symbolic.svg"), plotOptions);
File.WriteAllText(Path.Combine(output, "ToyKanFormula.cs"), pruned.ExportCSharp("ToyKanFormula", "QuickStart.Exported"));
drawing.Wait();
AnsiConsole.MarkupLine($"Wrote quickstart.svg, quickstart.png, quickstart-loss.png, ToyKanModel.cs (the splines as standalone C#), quickstart-symbolic.svg and ToyKanFormula.cs (the formula as plain C#) to [blue]{Markup.Escape(output)}[/]");
Phase("plots and C# exports (pykan: not timed)", double.NaN);

var times = new Table().Border(TableBorder.Rounded).Title("wall time per phase")
    .AddColumn("phase").AddColumn(new TableColumn("KanCompile").RightAligned()).AddColumn(new TableColumn("pykan (AVX2 host)").RightAligned());
foreach (var (name, seconds, pykan) in phases)
{
    times.AddRow(Markup.Escape(name), $"{seconds:F2} s", double.IsNaN(pykan) ? "-" : $"{pykan:F1} s");
}

times.AddRow("[bold]total (in this process)[/]", $"[bold]{clock.Elapsed.TotalSeconds:F2} s[/]", "[bold]73.8 s[/]");
AnsiConsole.Write(times);

void Report(string phase, FitResult fitted, string pykan) =>
    AnsiConsole.MarkupLine($"{Markup.Escape(phase)}: train RMSE {fitted.TrainRmse[^1]:E2}, test RMSE {fitted.TestRmse[^1]:E2} in {fitted.Elapsed.TotalSeconds:F1} s ({pykan})");

double FormulaTestRmse(KanFormula exact)
{
    double squared = 0.0;
    var y = new double[1];
    for (int s = 0; s < dataset.TestCount; s++)
    {
        exact.Evaluate(dataset.TestInputs.AsSpan(2 * s, 2), y);
        squared += (y[0] - dataset.TestLabels[s]) * (y[0] - dataset.TestLabels[s]);
    }

    return Math.Sqrt(squared / dataset.TestCount);
}

// A live table, one row per step, newest rows kept in view.
FitResult FitWithLiveTable(KanModel model, FitOptions options)
{
    var table = new Table()
        .Border(TableBorder.Rounded)
        .Title("L-BFGS, λ = 1e-3")
        .AddColumn(new TableColumn("step").RightAligned())
        .AddColumn(new TableColumn("train RMSE").RightAligned())
        .AddColumn(new TableColumn("test RMSE").RightAligned())
        .AddColumn(new TableColumn("reg").RightAligned());
    FitResult? fitted = null;
    AnsiConsole.Live(table)
        .Overflow(VerticalOverflow.Ellipsis)
        .Cropping(VerticalOverflowCropping.Top)
        .Start(context =>
        {
            var progress = new ImmediateProgress<FitProgress>(p =>
            {
                table.AddRow($"{p.Step}/{p.TotalSteps}", $"{p.TrainRmse:E3}", $"{p.TestRmse:E3}", $"{p.Regularization:F3}");
                context.Refresh();
            });
            fitted = model.Fit(dataset, options, progress);
        });
    return fitted!;
}

// No terminal to redraw (output piped to a file or CI log): a line every tenth step.
FitResult FitPrintingEveryTenthStep(KanModel model, FitOptions options) =>
    model.Fit(dataset, options, new ImmediateProgress<FitProgress>(p =>
    {
        if (p.Step % 10 == 0)
        {
            Console.WriteLine($"step {p.Step}/{p.TotalSteps}: train RMSE {p.TrainRmse:E3}, test RMSE {p.TestRmse:E3}, reg {p.Regularization:F3}");
        }
    }));

/// <summary>The quick-start KAN of pykan's hellokan notebook (grid 3), compiled at build time for grids 3, 10 and 20.</summary>
[KanModel(2, 5, 1, GridSize = 3, SplineOrder = 3, GridExtensions = new[] { 10, 20 })]
public partial class ToyKan
{
}

/// <summary>Reports on the fitting thread, so the live table updates in step order.</summary>
internal sealed class ImmediateProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
