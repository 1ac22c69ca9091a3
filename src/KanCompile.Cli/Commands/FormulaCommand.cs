using System.CommandLine;
using KanCompile.Cli.Fitting;
using KanCompile.Cli.Inspection;
using KanCompile.Cli.Output;
using KanCompile.Cli.Parsing;
using KanCompile.Cli.Symbolic;
using KanCompile.Symbolic;

namespace KanCompile.Cli.Commands;

/// <summary>
/// <c>kan formula MODEL.kan.json [--format text|latex|csharp]</c>: the symbolic formula of a saved, fully
/// symbolic model. Model files do not record column names, so the inputs are x1..xn. Text and LaTeX print the
/// expression with constants rounded to 4 decimal places (pykan's ex_round); csharp prints a
/// complete standalone class (exact constants) as <c>--export-cs</c> writes it.
/// </summary>
internal static class FormulaCommand
{
    /// <summary>The class name of <c>--format csharp</c>.</summary>
    internal const string ClassName = "KanFormula";

    public static Command Create(CliConsole console)
    {
        var model = new Argument<string>("MODEL.kan.json") { Description = "A model saved by kan fit --symbolic --save." };
        var format = OptionFactory.Choice("--format", "Output: plain text, LaTeX (constants rounded to 4 decimals), or a C# class (exact).", CliChoices.FormulaFormats, "text");
        var command = new Command("formula", "Print the symbolic formula of a saved model.") { model, format };
        command.SetAction(parse => Run(console, parse.GetRequiredValue(model), parse.ValueOr(format, "text")));
        return command;
    }

    private static int Run(CliConsole console, string path, string format)
    {
        KanNetwork network = ModelFiles.Load(path);
        string[] splines = FormulaReport.SplineEdges(network);
        if (splines.Length > 0)
        {
            throw new KanCliException(
                $"{path}: {FormulaReport.DescribeEdges(splines)} still spline(s), so the model has no closed form; train it with kan fit --symbolic.",
                ExitCodes.Failure);
        }

        if (format == "csharp")
        {
            console.Out.Write(network.ExportCSharp(ClassName, FitCommandHandler.FormulaNamespace));
            return ExitCodes.Success;
        }

        KanFormula formula = network.SymbolicFormula(roundDigits: FormulaReport.PrintDigits);
        for (int output = 0; output < formula.Outputs.Count; output++)
        {
            string expression = format == "latex" ? formula.ToLatex(output) : formula.ToText(output);
            console.Out.WriteLine(formula.Outputs.Count == 1 ? expression : $"y{output + 1} = {expression}");
        }

        return ExitCodes.Success;
    }
}
