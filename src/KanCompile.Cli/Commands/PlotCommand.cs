using System.CommandLine;
using KanCompile.Cli.Fitting;
using KanCompile.Cli.Parsing;

namespace KanCompile.Cli.Commands;

/// <summary><c>kan plot MODEL.kan.json --out model.svg</c>: draws a saved model (waits for plotting; see <see cref="CliFeatures"/>).</summary>
internal static class PlotCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("MODEL.kan.json") { Description = "A model saved by kan fit --save." };
        var output = OptionFactory.Path("--out", "The SVG file to write.", "model.svg");
        output.Required = true;
        var command = new Command("plot", "Draw a saved model's network and edge activations as SVG.") { model, output };
        command.SetAction(Refuse);
        return command;
    }

    private static int Refuse(ParseResult parse) => throw CliFeatures.Plot();
}
