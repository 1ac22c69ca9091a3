using System.CommandLine;
using KanCompile.Cli.Output;
using KanCompile.Cli.Parsing;
using KanCompile.Cli.Prediction;

namespace KanCompile.Cli.Commands;

/// <summary><c>kan predict MODEL.kan.json DATA.csv [--out predictions.csv] [--inputs a,b] [--target y]</c>.</summary>
internal static class PredictCommand
{
    public static Command Create(CliConsole console)
    {
        var model = new Argument<string>("MODEL.kan.json") { Description = "A model saved by kan fit --save or KanModel.Save." };
        var data = new Argument<string>("DATA.csv") { Description = "CSV file with a header row." };
        var output = OptionFactory.Path("--out", "Write the CSV here instead of stdout.", "predictions.csv");
        var inputs = OptionFactory.NameList("--inputs", "Input columns in model order (default: every column not named by --target).", "a,b,c");
        var target = OptionFactory.NameList("--target", "Label column(s) to leave out of the inputs; predictions are named <target>_predicted.", "y");
        var command = new Command("predict", "Append the model's predictions to every row of a CSV file.") { model, data, output, inputs, target };
        command.SetAction(parse => new PredictCommandHandler(console).Run(
            parse.GetRequiredValue(model),
            parse.GetRequiredValue(data),
            parse.GetValue(output),
            parse.ListIfGiven(inputs),
            parse.ListIfGiven(target)));
        return command;
    }
}
