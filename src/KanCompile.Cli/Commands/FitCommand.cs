using System.CommandLine;
using KanCompile.Cli.Fitting;
using KanCompile.Cli.Output;
using KanCompile.Cli.Parsing;
using KanCompile.Symbolic;

namespace KanCompile.Cli.Commands;

/// <summary><c>kan fit DATA.csv --target y ...</c>: the options, bound to <see cref="FitSettings"/>.</summary>
internal static class FitCommand
{
    public static Command Create(CliConsole console)
    {
        var data = new Argument<string>("DATA.csv") { Description = "CSV file with a header row; every used cell a number ('.' decimals)." };
        var target = OptionFactory.NameList("--target", "Label column(s), comma-separated.", "y");
        target.Required = true;
        var inputs = OptionFactory.NameList("--inputs", "Input columns in model order (default: every column that is not a target).", "a,b,c");
        var width = OptionFactory.IntList("--width", "All layer widths, inputs first (must match the data's input and target counts).", 1, "2,5,1");
        var hidden = OptionFactory.OptionalInt("--hidden", $"Width of the single hidden layer when --width is not given (default {FitSettings.DefaultHidden}).", 1);
        var mult = OptionFactory.Int("--mult", "Multiplication nodes added to each hidden layer (pykan's MultKAN: --width 2,5,1 --mult 2 is width=[2,[5,2],1]).", 0, 0);
        var arity = OptionFactory.Int("--mult-arity", "Sub-nodes each multiplication node multiplies (pykan's mult_arity).", 2, 2);
        var grid = OptionFactory.Int("--grid", "Initial grid intervals G.", 5, 1);
        var grids = OptionFactory.IntList("--grids", "Grid sizes to refine to, each followed by another fit.", 1, "10,20");
        var order = OptionFactory.Int("--order", "Spline order k.", 3, 1, KanArchitecture.MaxSplineOrder);
        var steps = OptionFactory.Int("--steps", "Optimiser steps of every fit.", 50, 0);
        var optimizer = OptionFactory.Choice("--optimizer", "Optimiser (pykan's opt).", CliChoices.Optimizers, KanOptimizer.LBfgs);
        var learningRate = OptionFactory.OptionalDouble("--lr", "Learning rate (default 1 for lbfgs, 0.01 for adam).", v => v > 0, "a positive number");
        var lambda = OptionFactory.Double("--lambda", "Regularisation weight (pykan's lamb).", 0.0, v => v >= 0, "0 or more");
        var prune = new Option<bool>("--prune") { Description = "After the first fit, prune unimportant nodes and edges, then fit again." };
        var symbolic = new Option<bool>("--symbolic") { Description = "Fit symbolic functions to every edge and report the formula." };
        var library = OptionFactory.NameList("--lib", "Symbolic functions to try (with --symbolic), e.g. x,x^2,sin,exp.", "x,x^2,sin,exp", name =>
            SymbolicLibrary.Default.Contains(name) ? null : $"'{name}' is not in the symbolic library; valid names: {string.Join(", ", SymbolicLibrary.Default.Names)}.");
        var recipe = OptionFactory.Choice("--recipe", "How --symbolic finds the formula: a search over shapes and edge candidates, or pykan's one-shot auto-symbolic.", CliChoices.Recipes, SymbolicRecipe.Discovery);
        var testFraction = OptionFactory.Double("--test-fraction", "Share of rows held out for testing.", 0.2, v => v > 0 && v < 1, "between 0 and 1 (exclusive)");
        var seed = OptionFactory.Int("--seed", "Seed of the row shuffle and of the model's initialisation.", 0, int.MinValue);
        var save = OptionFactory.Path("--save", "Save the trained model to this file (e.g. model.kan.json).", "model.kan.json");
        var exportCs = OptionFactory.Path("--export-cs", "Write the symbolic formula as a C# class (needs --symbolic).", "Formula.cs");
        var plot = OptionFactory.Path("--plot", "Draw the trained network as SVG.", "model.svg");
        var json = new Option<bool>("--json") { Description = "Print one JSON object (and nothing else) to stdout." };
        var classify = new Option<bool>("--classify") { Description = "The target column holds classes (names or whole numbers): train a classifier with cross-entropy and report accuracy." };
        var engine = OptionFactory.Choice("--engine", "Kernels compiled for the model's shape, or the plain reference engine.", CliChoices.Engines, KanEngine.Compiled);
        var beyondGrid = OptionFactory.Choice("--beyond-grid", "What the splines do beyond their grids: pykan's padding zone, then 0 (pykan, the default), or continue with their boundary value and slope (smooth). Saved with the model.", CliChoices.BeyondGrid, KanBeyondGrid.Pykan);

        var command = new Command("fit", "Train a KAN on a CSV file: fit, optionally prune and refine the grid, then report and save.")
        {
            data, target, inputs, width, hidden, mult, arity, grid, grids, order, steps, optimizer, learningRate, lambda, prune,
            symbolic, library, recipe, testFraction, seed, save, exportCs, plot, json, classify, engine, beyondGrid,
        };
        command.SetAction(parse => new FitCommandHandler(console).Run(new FitSettings
        {
            DataPath = parse.GetRequiredValue(data),
            Targets = parse.ListIfGiven(target) ?? [],
            Inputs = parse.ListIfGiven(inputs),
            Widths = parse.ListIfGiven(width),
            Hidden = parse.GetValue(hidden),
            Multiplication = parse.GetValue(mult),
            MultiplicationArity = parse.GetValue(arity),
            Grid = parse.GetValue(grid),
            Grids = parse.ListIfGiven(grids) ?? [],
            Order = parse.GetValue(order),
            Steps = parse.GetValue(steps),
            Optimizer = parse.ValueOr(optimizer, KanOptimizer.LBfgs),
            LearningRate = parse.GetValue(learningRate),
            Lambda = parse.GetValue(lambda),
            Prune = parse.GetValue(prune),
            Symbolic = parse.GetValue(symbolic),
            Library = parse.ListIfGiven(library),
            Recipe = parse.GetResult(recipe) is null ? null : parse.GetValue(recipe),
            TestFraction = parse.GetValue(testFraction),
            Seed = parse.GetValue(seed),
            SavePath = parse.GetValue(save),
            ExportCsPath = parse.GetValue(exportCs),
            PlotPath = parse.GetValue(plot),
            Json = parse.GetValue(json),
            Classify = parse.GetValue(classify),
            Engine = parse.ValueOr(engine, KanEngine.Compiled),
            BeyondGrid = parse.ValueOr(beyondGrid, KanBeyondGrid.Pykan),
        }));
        return command;
    }
}
