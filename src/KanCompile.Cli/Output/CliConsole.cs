using Spectre.Console;

namespace KanCompile.Cli.Output;

/// <summary>
/// Where a command writes: results to <see cref="Out"/>, diagnostics to <see cref="Error"/>. When
/// <see cref="Interactive"/> (stdout is a terminal) commands draw Spectre.Console progress bars and tables on
/// <see cref="Ansi"/>; otherwise they print plain lines that read well in logs and pipes.
/// </summary>
internal sealed class CliConsole
{
    private IAnsiConsole? _ansi;

    public CliConsole(TextWriter output, TextWriter error, bool interactive, CancellationToken cancellation = default)
    {
        Out = output;
        Error = error;
        Interactive = interactive;
        Cancellation = cancellation;
    }

    /// <summary>Fires on Ctrl+C: long work stops at the next step and keeps what it has.</summary>
    public CancellationToken Cancellation { get; }

    /// <summary>Standard output: results (tables, CSV, the JSON object).</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error: the one-line error message.</summary>
    public TextWriter Error { get; }

    /// <summary>True when stdout is a terminal a person watches.</summary>
    public bool Interactive { get; }

    /// <summary>A Spectre.Console console drawing on <see cref="Out"/> (only meaningful when interactive).</summary>
    public IAnsiConsole Ansi => _ansi ??= AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Out),
        Ansi = AnsiSupport.Detect,
        ColorSystem = ColorSystemSupport.Detect,
        Interactive = InteractionSupport.Yes,
    });
}
