using System.CommandLine;
using KanCompile.Cli.Commands;
using KanCompile.Cli.Output;

namespace KanCompile.Cli;

/// <summary>
/// The <c>kan</c> tool as a function, so tests and hosts can run it in-process: parses the arguments, runs the
/// command and turns every problem the user can fix into ONE line on stderr (<c>error: ...</c>) and a
/// non-zero exit code (<see cref="ExitCodes"/>), never a stack trace.
/// </summary>
public static class KanCli
{
    /// <summary>Runs <c>kan</c> with <paramref name="args"/>.</summary>
    /// <param name="args">The arguments after the tool name, e.g. <c>["fit", "data.csv", "--target", "y"]</c>.</param>
    /// <param name="stdout">Results: text, tables, CSV or the single JSON object.</param>
    /// <param name="stderr">The error line, if any.</param>
    /// <param name="interactive">True when stdout is a terminal: progress bars and tables instead of plain lines.</param>
    /// <param name="cancellationToken">Ctrl+C: a fit stops after the current optimiser step, then saves and reports.</param>
    /// <returns>The process exit code: 0 on success.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, bool interactive = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var console = new CliConsole(stdout, stderr, interactive, cancellationToken);
        try
        {
            ParseResult parse = CreateRootCommand(console).Parse(args);
            if (parse.Errors.Count > 0)
            {
                string more = parse.Errors.Count > 1 ? $", and {parse.Errors.Count - 1} more problem(s)" : "";
                return Fail(stderr, $"{parse.Errors[0].Message} (see 'kan {CommandName(parse)}--help'{more})", ExitCodes.UsageError);
            }

            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (KanCliException error)
        {
            return Fail(stderr, error.Message, error.ExitCode);
        }
        catch (Exception error) when (error is KanDataException or KanModelFileException or IOException or UnauthorizedAccessException)
        {
            return Fail(stderr, error.Message, ExitCodes.Failure);
        }
        catch (Exception error) when (error is ArgumentException or KeyNotFoundException)
        {
            return Fail(stderr, error.Message, ExitCodes.UsageError);
        }
        catch (OperationCanceledException)
        {
            return Fail(stderr, "interrupted.", ExitCodes.Interrupted);
        }
        catch (Exception error)
        {
            // A defect rather than a user error: still one line, with the type so a bug report can name it.
            return Fail(stderr, $"unexpected {error.GetType().Name}: {error.Message}", ExitCodes.InternalError);
        }
    }

    /// <summary>The command tree: fit, predict, info, formula, plot.</summary>
    internal static RootCommand CreateRootCommand(CliConsole console) =>
        new("kan: train Kolmogorov-Arnold Networks on CSV data, inspect saved models and predict with them.")
        {
            FitCommand.Create(console),
            PredictCommand.Create(console),
            InfoCommand.Create(console),
            FormulaCommand.Create(console),
            PlotCommand.Create(console),
        };

    private static string CommandName(ParseResult parse) =>
        parse.CommandResult.Command is RootCommand ? "" : parse.CommandResult.Command.Name + " ";

    /// <summary>Prints the problem as one line (messages that span lines are joined) and returns the exit code.</summary>
    private static int Fail(TextWriter stderr, string message, int exitCode)
    {
        string line = string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        stderr.WriteLine($"error: {line}");
        return exitCode;
    }
}
