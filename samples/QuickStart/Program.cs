using KanCompile;
using Spectre.Console;

// pykan's quick-start: fit f(x, y) = exp(sin(πx) + y²) with a [2, 5, 1] KAN.
static double Target(double x, double y) => Math.Exp(Math.Sin(Math.PI * x) + y * y);

var model = new ToyKan(seed: 1);
AnsiConsole.MarkupLine($"[bold]ToyKan[/]: widths [[{string.Join(", ", model.Widths)}]], G = {model.GridSize}, k = {model.SplineOrder}, {model.ParameterCount} parameters");

// 1000 train + 1000 test points uniform on [-1, 1]², as pykan's create_dataset.
KanDataset dataset = KanDataset.FromFunction(x => Target(x[0], x[1]), inputCount: 2);

// pykan's recipe: 50 L-BFGS steps, λ = 1e-3, grid updates every 5 steps until step 50.
var options = new FitOptions { Steps = 50, Lambda = 1e-3 };

FitResult result = Console.IsOutputRedirected ? FitPrintingEveryTenthStep() : FitWithLiveTable();

AnsiConsole.MarkupLine(
    $"[green]{result.ExitReason}[/] after {result.Steps} steps in {result.Elapsed.TotalSeconds:F2} s: "
    + $"train RMSE {result.TrainRmse[^1]:E3}, test RMSE {result.TestRmse[^1]:E3}, reg {result.Regularization[^1]:F3} (pykan: 1.85e-2 / 1.77e-2, reg 6.93)");

Span<double> y = stackalloc double[1];
model.Forward(new[] { 0.3, -0.2 }, y);
AnsiConsole.MarkupLine($"f(0.3, -0.2) = {y[0]:F6} (target {Target(0.3, -0.2):F6})");

// pykan's model.plot(): the network with every edge's curve, faded by its attribution score; and the loss history.
string output = Directory.CreateDirectory("output").FullName;
var plotOptions = new KanPlotOptions { InputNames = ["x", "y"], OutputNames = ["f"], Title = "exp(sin(πx) + y²)" };
model.Plot(Path.Combine(output, "quickstart.svg"), plotOptions);
model.Plot(Path.Combine(output, "quickstart.png"), plotOptions);
result.PlotLoss(Path.Combine(output, "quickstart-loss.png"));
AnsiConsole.MarkupLine($"Wrote quickstart.svg, quickstart.png and quickstart-loss.png to [blue]{Markup.Escape(output)}[/]");

// The trained splines as plain C# an app compiles in with no KanCompile dependency.
File.WriteAllText(Path.Combine(output, "ToyKanModel.cs"), model.ExportCSharp("ToyKanModel", "QuickStart.Exported"));
AnsiConsole.MarkupLine("Wrote ToyKanModel.cs (standalone C#, splines baked in)");

// A live table, one row per step, newest rows kept in view.
FitResult FitWithLiveTable()
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
FitResult FitPrintingEveryTenthStep() =>
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
