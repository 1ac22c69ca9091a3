using Spectre.Console;

namespace KanCompile.Cli.Output;

/// <summary>Name/value results: a Spectre.Console table on a terminal, "name: value" lines otherwise.</summary>
internal static class SummaryWriter
{
    public static void Write(CliConsole console, string title, IReadOnlyList<(string Name, string Value)> rows)
    {
        if (!console.Interactive)
        {
            foreach (var (name, value) in rows)
            {
                console.Out.WriteLine($"{name}: {value}");
            }

            return;
        }

        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(title)).AddColumn("").AddColumn(new TableColumn("").RightAligned()).HideHeaders();
        foreach (var (name, value) in rows)
        {
            table.AddRow(Markup.Escape(name), Markup.Escape(value));
        }

        console.Ansi.Write(table);
    }
}
