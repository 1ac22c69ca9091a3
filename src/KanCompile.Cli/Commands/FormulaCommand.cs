using System.CommandLine;
using KanCompile.Cli.Fitting;
using KanCompile.Cli.Parsing;

namespace KanCompile.Cli.Commands;

/// <summary>
/// <c>kan formula MODEL.kan.json [--format text|latex|csharp]</c>: the symbolic formula of a saved model. The
/// options are parsed and checked; the command itself waits for symbolic edges in model files (see <see cref="CliFeatures"/>).
/// </summary>
internal static class FormulaCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("MODEL.kan.json") { Description = "A model saved by kan fit --symbolic --save." };
        var format = OptionFactory.Choice("--format", "Output: plain text, LaTeX, or a C# class.", CliChoices.FormulaFormats, "text");
        var command = new Command("formula", "Print the symbolic formula of a saved model.") { model, format };
        command.SetAction(Refuse);
        return command;
    }

    private static int Refuse(ParseResult parse) => throw CliFeatures.Formula();
}
