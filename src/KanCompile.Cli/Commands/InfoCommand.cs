using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using KanCompile.Cli.Inspection;
using KanCompile.Cli.Output;

namespace KanCompile.Cli.Commands;

/// <summary><c>kan info MODEL.kan.json [--json]</c>: the shape and size of a saved model.</summary>
internal static class InfoCommand
{
    public static Command Create(CliConsole console)
    {
        var model = new Argument<string>("MODEL.kan.json") { Description = "A model saved by kan fit --save or KanModel.Save." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object to stdout." };
        var command = new Command("info", "Show a saved model's widths, multiplication nodes, grid, spline order, parameters, base function and edges.") { model, json };
        command.SetAction(parse => Run(console, parse.GetRequiredValue(model), parse.GetValue(json)));
        return command;
    }

    private static int Run(CliConsole console, string path, bool json)
    {
        ModelInfo info = ModelInfo.Describe(path, ModelFiles.Load(path));
        if (json)
        {
            console.Out.WriteLine(JsonSerializer.Serialize(info, CliJsonContext.Output.ModelInfo));
            return ExitCodes.Success;
        }

        var rows = new List<(string, string)>
        {
            ("widths", Numbers.Widths(info.Widths)),
            ("grid", info.Grid.ToString(CultureInfo.InvariantCulture)),
            ("order", info.Order.ToString(CultureInfo.InvariantCulture)),
            ("parameters", info.Parameters.ToString(CultureInfo.InvariantCulture)),
            ("base function", info.BaseFunction.ToString()),
            ("beyond the grid", info.BeyondGrid == KanBeyondGrid.Smooth ? "smooth (value and slope continue)" : "pykan (padding zone, then 0)"),
            ("grid range", $"[{Numbers.RoundTrip(info.GridRange[0])}, {Numbers.RoundTrip(info.GridRange[1])}]"),
            ("seed", info.Seed.ToString(CultureInfo.InvariantCulture)),
            ("edges", $"{info.LiveEdges} live of {info.Edges}"),
        };
        if (info.MultiplicationArity is int arity)
        {
            // Right after the widths: they count addition nodes only.
            rows.Insert(1, ("multiplication nodes", $"{Numbers.Widths(info.MultiplicationNodes)} of arity {arity.ToString(CultureInfo.InvariantCulture)} (pykan width {info.PykanWidth()})"));
        }

        if (info.SymbolicEdges > 0)
        {
            rows.Add(("symbolic edges", info.SymbolicEdges.ToString(CultureInfo.InvariantCulture)));
        }

        if (info.Classes is not null)
        {
            rows.Add(("classes", $"{string.Join(", ", info.Classes)} ({info.ClassDecision})"));
        }

        SummaryWriter.Write(console, path, rows);
        return ExitCodes.Success;
    }
}
