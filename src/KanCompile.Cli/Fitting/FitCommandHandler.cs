using System.Diagnostics;
using System.Text.Json;
using KanCompile.Cli.Output;
using Spectre.Console;

namespace KanCompile.Cli.Fitting;

/// <summary>
/// Runs <c>kan fit</c> in separate phases: check the options, read the data, build the model, train it with
/// the <see cref="FitRecipe"/>, save it, report. The symbolic formula, the C# export and the plot become
/// phases between training and saving once this build has them (see <see cref="CliFeatures"/>).
/// </summary>
internal sealed class FitCommandHandler(CliConsole console)
{
    /// <summary>Runs the command; user errors surface as exceptions that <see cref="KanCli"/> prints as one line.</summary>
    public int Run(FitSettings settings)
    {
        CancellationToken cancellationToken = console.Cancellation;
        var clock = Stopwatch.StartNew();
        settings.Validate();
        KanDataset data = LoadData(settings);
        int[] widths = ResolveWidths(settings, data);
        var model = new KanNetwork(widths, settings.Grid, settings.Order, settings.Seed, engine: settings.Engine);
        var recipe = new FitRecipe(settings.ToFitOptions(), settings.Prune, settings.Grids);
        var (trained, outcomes) = Train(recipe, model, data, settings, cancellationToken);
        if (settings.SavePath is not null)
        {
            trained.Save(settings.SavePath);
        }

        if (settings.PlotPath is not null)
        {
            ModelPlot.Write(trained, settings.PlotPath, data.InputNames, data.OutputNames, data.TrainInputs);
        }

        FitSummary summary = Summarize(trained, data, outcomes, settings, clock.Elapsed);
        Report(summary, settings);
        if (cancellationToken.IsCancellationRequested)
        {
            console.Error.WriteLine($"interrupted: stopped after {outcomes.Count} of {recipe.Steps.Count} recipe steps; what was reported (and saved) is the model at that point.");
            return ExitCodes.Interrupted;
        }

        return ExitCodes.Success;
    }

    /// <summary>Phase 1: the CSV, shuffled with the seed and split into training and test rows.</summary>
    private static KanDataset LoadData(FitSettings settings)
    {
        CliFiles.RequireExisting(settings.DataPath, "data file");
        return KanDataset.FromCsv(settings.DataPath, settings.Targets, settings.TestFraction, settings.Seed, settings.Inputs);
    }

    /// <summary>Phase 2: the widths, from --width (checked against the data) or [inputs, hidden, targets].</summary>
    internal static int[] ResolveWidths(FitSettings settings, KanDataset data)
    {
        if (settings.Widths is null)
        {
            return [data.InputCount, settings.Hidden ?? FitSettings.DefaultHidden, data.OutputCount];
        }

        int[] widths = settings.Widths.ToArray();
        string given = string.Join(",", widths);
        if (widths[0] != data.InputCount)
        {
            throw KanCliException.Usage(
                $"--width {given} starts with {widths[0]} inputs but {settings.DataPath} has {data.InputCount} input columns ({string.Join(", ", data.InputNames ?? [])}); the first width must be {data.InputCount}.");
        }

        if (widths[^1] != data.OutputCount)
        {
            throw KanCliException.Usage(
                $"--width {given} ends with {widths[^1]} outputs but --target names {data.OutputCount} column(s) ({string.Join(", ", data.OutputNames ?? [])}); the last width must be {data.OutputCount}.");
        }

        return widths;
    }

    /// <summary>Phase 3: the recipe, with progress bars on a terminal, log lines when redirected, nothing for --json.</summary>
    private (KanNetwork Model, IReadOnlyList<RecipeOutcome> Outcomes) Train(FitRecipe recipe, KanNetwork model, KanDataset data, FitSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Json)
        {
            return recipe.Run(model, data, SilentFitObserver.Instance, cancellationToken);
        }

        if (!console.Interactive)
        {
            return recipe.Run(model, data, new PlainFitObserver(console.Out), cancellationToken);
        }

        (KanNetwork, IReadOnlyList<RecipeOutcome>) result = default;
        console.Ansi.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context => result = recipe.Run(model, data, new SpectreFitObserver(context), cancellationToken));
        return result;
    }

    private static FitSummary Summarize(KanNetwork model, KanDataset data, IReadOnlyList<RecipeOutcome> outcomes, FitSettings settings, TimeSpan elapsed) => new()
    {
        Widths = model.Widths.ToArray(),
        Grid = model.GridSize,
        Order = model.SplineOrder,
        Parameters = model.ParameterCount,
        TrainRmse = Rmse(model, data.TrainInputs, data.TrainLabels),
        TestRmse = Rmse(model, data.TestInputs, data.TestLabels),
        Seconds = elapsed.TotalSeconds,
        Inputs = data.InputNames?.ToArray() ?? [],
        Targets = data.OutputNames?.ToArray() ?? [],
        TrainRows = data.TrainCount,
        TestRows = data.TestCount,
        Phases = outcomes.Select(FitPhaseSummary.From).ToArray(),
        Model = settings.SavePath,
    };

    /// <summary>pykan's RMSE: the root of the mean squared error over every sample and output.</summary>
    internal static double Rmse(KanModel model, double[] inputs, double[] labels)
    {
        var predictions = new double[labels.Length];
        model.Predict(inputs, predictions);
        double sum = 0.0;
        for (int i = 0; i < labels.Length; i++)
        {
            double error = predictions[i] - labels[i];
            sum += error * error;
        }

        return Math.Sqrt(sum / labels.Length);
    }

    private void Report(FitSummary summary, FitSettings settings)
    {
        if (settings.Json)
        {
            console.Out.WriteLine(JsonSerializer.Serialize(summary, CliJsonContext.Default.FitSummary));
            return;
        }

        var rows = new List<(string Name, string Value)>
        {
            ("widths", Numbers.Widths(summary.Widths)),
            ("grid", summary.Grid.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("parameters", summary.Parameters.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("rows", $"{summary.TrainRows} train, {summary.TestRows} test"),
            ("train RMSE", Numbers.Error(summary.TrainRmse)),
            ("test RMSE", Numbers.Error(summary.TestRmse)),
            ("seconds", Numbers.Seconds(summary.Seconds)),
        };
        if (summary.Model is not null)
        {
            rows.Add(("saved", summary.Model));
        }

        SummaryWriter.Write(console, "kan fit", rows);
    }
}
