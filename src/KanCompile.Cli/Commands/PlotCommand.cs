using System.CommandLine;
using KanCompile.Cli.Inspection;
using KanCompile.Cli.Output;
using KanCompile.Cli.Parsing;

namespace KanCompile.Cli.Commands;

/// <summary><c>kan plot MODEL.kan.json --out model.svg</c>: draws a saved model's network and edge activations.</summary>
internal static class PlotCommand
{
    public static Command Create(CliConsole console)
    {
        var model = new Argument<string>("MODEL.kan.json") { Description = "A model saved by kan fit --save." };
        var output = OptionFactory.Path("--out", "The .svg or .png file to write.", "model.svg");
        output.Required = true;
        var command = new Command("plot", "Draw a saved model's network and edge activations as SVG or PNG (edges over their grid range; a saved model carries no samples for attribution).") { model, output };
        command.SetAction(parse => Run(console, parse.GetRequiredValue(model), parse.GetRequiredValue(output)!));
        return command;
    }

    private static int Run(CliConsole console, string modelPath, string outputPath)
    {
        ModelPlot.RequireSupportedExtension(outputPath, "--out");
        CliFiles.RequireDirectoryFor(outputPath, "--out");
        ModelPlot.Write(ModelFiles.Load(modelPath), outputPath, null, null, null);
        console.Out.WriteLine($"wrote {outputPath}");
        return ExitCodes.Success;
    }
}
