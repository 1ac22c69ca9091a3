using System.Diagnostics;
using System.Text.Json;
using KanCompile.Cli.Output;
using KanCompile.Cli.Symbolic;
using KanCompile.Symbolic;
using KanCompile.Symbolic.Discovery;
using Spectre.Console;

namespace KanCompile.Cli.Fitting;

/// <summary>
/// Runs <c>kan fit</c> in separate phases: check the options, read the data, build the model, train it with
/// the <see cref="FitRecipe"/> (auto-symbolic and a last fit with <c>--symbolic</c>), save it, compose and export
/// the formula, draw it, report.
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
        var model = new KanNetwork(
            widths,
            settings.Grid,
            settings.Order,
            settings.Seed,
            engine: settings.Engine,
            multiplicationNodes: settings.MultiplicationNodes(widths.Length),
            multiplicationArity: settings.MultiplicationArity,
            beyondGrid: settings.BeyondGrid);
        bool discovery = settings.Symbolic && settings.EffectiveRecipe == SymbolicRecipe.Discovery;
        SymbolicLibrary? library = settings.Symbolic && !discovery ? SymbolicLibrary.Create([.. settings.Library ?? FormulaReport.DefaultLibrary]) : null;
        FormulaSearchOptions? search = discovery ? SearchOptions(settings) : null;
        var recipe = new FitRecipe(settings.ToFitOptions(data), settings.Prune, settings.Grids, library, search);
        var (trained, outcomes) = Train(recipe, model, data, settings, cancellationToken);
        if (settings.SavePath is not null)
        {
            trained.Save(settings.SavePath);
        }

        FormulaReport? formula = null;
        string[] variableNames = CSharpNames.ForVariables(data.InputNames, data.InputCount);
        if (settings.Symbolic)
        {
            if (recipe.Search is { Found: false } notFound)
            {
                formula = new FormulaReport(null, null, null, null, notFound.Message);
            }
            else if (recipe.Search is { Found: true } found)
            {
                formula = FormulaReport.FromSearch(found, variableNames, data.TestInputs, data.TestLabels);
            }
            else
            {
                formula = outcomes.Any(o => o.Step.Kind is RecipeStepKind.Symbolic or RecipeStepKind.Discover)
                    ? data.IsClassification
                        ? FormulaReport.ComputeClassifier(trained, variableNames, data.TestInputs, data.TestClasses)
                        : FormulaReport.Compute(trained, variableNames, data.TestInputs, data.TestLabels)
                    : new FormulaReport(null, null, null, null, "no formula: training was interrupted before the symbolic step.");
            }
        }

        string? exportError = null;
        if (settings.ExportCsPath is not null)
        {
            if (formula?.Exact is KanFormula exact)
            {
                ExportFormula(exact, variableNames, settings.ExportCsPath, trained);
            }
            else
            {
                exportError = $"--export-cs {settings.ExportCsPath} was not written: there is no formula ({formula?.Error}).";
            }
        }

        if (settings.PlotPath is not null)
        {
            ModelPlot.Write(trained, settings.PlotPath, data.InputNames, data.OutputNames, data.TrainInputs);
        }

        FitSummary summary = Summarize(trained, data, outcomes, settings, clock.Elapsed, formula, recipe.Search);
        Report(summary, settings);
        if (cancellationToken.IsCancellationRequested)
        {
            console.Error.WriteLine($"interrupted: stopped after {outcomes.Count} of {recipe.Steps.Count} recipe steps; what was reported (and saved) is the model at that point.");
            return ExitCodes.Interrupted;
        }

        if (exportError is not null)
        {
            // The summary is out; the missing file the user asked for still makes the run a failure.
            throw new KanCliException(exportError, ExitCodes.Failure);
        }

        return ExitCodes.Success;
    }

    /// <summary>
    /// Writes the exact (unrounded) formula as a standalone C# class named after the file, in namespace
    /// <c>KanFormulas</c>, with the column names as parameters (x1..xn through the model's own export if the
    /// names cannot be parameters). A classifier's class returns the class and its probabilities from the logit formulas.
    /// </summary>
    private static void ExportFormula(KanFormula exact, string[] variableNames, string path, KanModel model)
    {
        string className = CSharpNames.ForClass(path);
        string source;
        try
        {
            source = model.Classes is { } classes
                ? FormulaExport.ToCSharpClassifier(exact.Outputs, classes, className, FormulaNamespace, variableNames)
                : FormulaExport.ToCSharp(exact.Outputs, className, FormulaNamespace, variableNames);
        }
        catch (ArgumentException)
        {
            source = model.ExportCSharp(className, FormulaNamespace);
        }

        File.WriteAllText(path, source);
    }

    /// <summary>The namespace of classes written by --export-cs.</summary>
    internal const string FormulaNamespace = "KanFormulas";

    /// <summary>Phase 1: the CSV, shuffled with the seed and split into training and test rows.</summary>
    private static KanDataset LoadData(FitSettings settings)
    {
        CliFiles.RequireExisting(settings.DataPath, "data file");
        return KanDataset.FromCsv(settings.DataPath, settings.Targets, settings.TestFraction, settings.Seed, settings.Inputs, settings.Classify);
    }

    /// <summary>
    /// Phase 2: the widths, from --width (checked against the data) or [inputs, hidden, outputs]; a classifier has one
    /// output per class, or one for two classes.
    /// </summary>
    internal static int[] ResolveWidths(FitSettings settings, KanDataset data)
    {
        int outputs = data.IsClassification ? FitSettings.ClassifierOutputs(data.ClassCount) : data.OutputCount;
        if (settings.Widths is null)
        {
            return [data.InputCount, settings.Hidden ?? FitSettings.DefaultHidden, outputs];
        }

        int[] widths = settings.Widths.ToArray();
        string given = string.Join(",", widths);
        if (widths[0] != data.InputCount)
        {
            throw KanCliException.Usage(
                $"--width {given} starts with {widths[0]} inputs but {settings.DataPath} has {data.InputCount} input columns ({string.Join(", ", data.InputNames ?? [])}); the first width must be {data.InputCount}.");
        }

        if (data.IsClassification && widths[^1] != outputs)
        {
            throw KanCliException.Usage(
                $"--width {given} ends with {widths[^1]} outputs but the class column '{data.OutputNames?[0]}' has {data.ClassCount} classes ({string.Join(", ", data.ClassNames!)}), "
                + $"so the classifier has {outputs} (one logit per class; one for two classes); the last width must be {outputs}.");
        }

        if (!data.IsClassification && widths[^1] != data.OutputCount)
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

    /// <summary>The search settings: its fixed defaults, with the user's --lib, --seed and --mult/--mult-arity (the product shapes' multiplication nodes).</summary>
    private static FormulaSearchOptions SearchOptions(FitSettings settings)
    {
        var options = new FormulaSearchOptions { Seed = settings.Seed };
        if (settings.Multiplication > 0)
        {
            options = options with { MaxMultiplicationNodes = settings.Multiplication, MultiplicationArity = settings.MultiplicationArity };
        }

        return settings.Library is null ? options : options with { Library = SymbolicLibrary.Create([.. settings.Library]) };
    }

    private static FitSummary Summarize(KanNetwork model, KanDataset data, IReadOnlyList<RecipeOutcome> outcomes, FitSettings settings, TimeSpan elapsed, FormulaReport? formula, FormulaSearchResult? search) => new()
    {
        Widths = model.Widths.ToArray(),
        Grid = model.GridSize,
        Order = model.SplineOrder,
        Parameters = model.ParameterCount,
        TrainRmse = data.IsClassification ? null : Rmse(model, data.TrainInputs, data.TrainLabels),
        TestRmse = data.IsClassification ? null : Rmse(model, data.TestInputs, data.TestLabels),
        TrainAccuracy = data.IsClassification ? Accuracy(model, data.TrainInputs, data.TrainClasses) : null,
        TestAccuracy = data.IsClassification ? Accuracy(model, data.TestInputs, data.TestClasses) : null,
        Loss = data.IsClassification ? settings.ToFitOptions(data).Loss.Name : null,
        Classes = data.ClassNames?.ToArray(),
        FormulaTestAccuracy = formula?.TestAccuracy,
        ExactFormulaTestAccuracy = formula?.ExactTestAccuracy,
        Seconds = elapsed.TotalSeconds,
        Inputs = data.InputNames?.ToArray() ?? [],
        Targets = data.OutputNames?.ToArray() ?? [],
        TrainRows = data.TrainCount,
        TestRows = data.TestCount,
        Phases = outcomes.Select(FitPhaseSummary.From).ToArray(),
        Model = settings.SavePath,
        // A classifier's formulas are its logits: one per class (named by it), or the logit of the second class.
        Formula = formula?.Printed is KanFormula printed ? FormulaReport.Text(printed, data.IsClassification && model.OutputCount > 1 ? data.ClassNames : data.OutputNames) : null,
        FormulaDigits = formula?.Printed is null ? null : formula.Digits,
        FormulaTestRmse = formula?.TestRmse,
        ExactFormulaTestRmse = formula?.ExactTestRmse,
        FormulaError = formula?.Error,
        ExportCs = settings.ExportCsPath is not null && formula?.Exact is not null ? settings.ExportCsPath : null,
        Recipe = settings.Symbolic ? settings.EffectiveRecipe.ToString().ToLowerInvariant() : null,
        Search = search is null ? null : SearchSummary.From(search),
    };

    /// <summary>The structure on one line: the split, then its parts' splits in brackets.</summary>
    private static string StructureText(StructureSummary structure) =>
        structure.Parts is null ? structure.Description : $"{structure.Description} [{string.Join("; ", structure.Parts.Select(StructureText))}]";

    /// <summary>The share of rows whose predicted class is their class.</summary>
    internal static double Accuracy(KanModel model, double[] inputs, int[] classes)
    {
        var predicted = new int[classes.Length];
        model.PredictClasses(inputs, predicted);
        return predicted.Zip(classes).Count(pair => pair.First == pair.Second) / (double)Math.Max(1, classes.Length);
    }

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
            console.Out.WriteLine(JsonSerializer.Serialize(summary, CliJsonContext.Output.FitSummary));
            return;
        }

        var rows = new List<(string Name, string Value)>
        {
            ("widths", Numbers.Widths(summary.Widths)),
            ("grid", summary.Grid.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("parameters", summary.Parameters.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("rows", $"{summary.TrainRows} train, {summary.TestRows} test"),
        };
        if (summary.Classes is not null)
        {
            rows.Add(("classes", string.Join(", ", summary.Classes)));
            rows.Add(("train accuracy", Numbers.Accuracy(summary.TrainAccuracy!.Value)));
            rows.Add(("test accuracy", Numbers.Accuracy(summary.TestAccuracy!.Value)));
        }
        else
        {
            rows.Add(("train RMSE", Numbers.Error(summary.TrainRmse!.Value)));
            rows.Add(("test RMSE", Numbers.Error(summary.TestRmse!.Value)));
        }

        rows.Add(("seconds", Numbers.Seconds(summary.Seconds)));
        if (summary.Model is not null)
        {
            rows.Add(("saved", summary.Model));
        }

        if (summary.Formula is not null)
        {
            rows.Add(("formula", summary.Formula));
        }

        if (summary.FormulaTestRmse is double formulaRmse)
        {
            rows.Add(("formula test RMSE", Numbers.Error(formulaRmse)));
        }

        if (summary.ExactFormulaTestRmse is double exactRmse)
        {
            rows.Add(("exact formula test RMSE", Numbers.Error(exactRmse)));
        }

        if (summary.FormulaTestAccuracy is double formulaAccuracy)
        {
            rows.Add(("formula test accuracy", Numbers.Accuracy(formulaAccuracy)));
        }

        if (summary.ExactFormulaTestAccuracy is double exactAccuracy)
        {
            rows.Add(("exact formula test accuracy", Numbers.Accuracy(exactAccuracy)));
        }

        if (summary.Search is { } searched)
        {
            rows.Add(("formula search", $"{searched.Message} ({Numbers.Seconds(searched.Seconds)} s)"));
            if (searched.Structure is { } structure)
            {
                rows.Add(("structure", StructureText(structure)));
            }

            rows.Add(("tried", $"{searched.StructuresTried.Length} split(s) of the structure search, {searched.Candidates.Length} complete formula(s), {searched.Retrains} network retrainings"));
        }

        if (summary.FormulaError is not null)
        {
            rows.Add(("formula note", summary.FormulaError));
        }

        if (summary.ExportCs is not null)
        {
            rows.Add(("C# formula", summary.ExportCs));
        }

        SummaryWriter.Write(console, "kan fit", rows);
    }
}
