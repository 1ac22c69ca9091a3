namespace KanCompile.Cli;

/// <summary>
/// A problem the user can fix, found by the tool itself (not by the runtime): the message is printed as the
/// single error line and <see cref="ExitCode"/> becomes the process exit code.
/// </summary>
public sealed class KanCliException : Exception
{
    /// <summary>Creates the exception; the message should name the option or file and what to do.</summary>
    public KanCliException(string message, int exitCode = ExitCodes.UsageError)
        : base(message)
    {
        ExitCode = exitCode;
    }

    /// <summary>The exit code the tool returns for this problem.</summary>
    public int ExitCode { get; }

    /// <summary>An option whose value cannot work (exit code <see cref="ExitCodes.UsageError"/>).</summary>
    public static KanCliException Usage(string message) => new(message, ExitCodes.UsageError);

    /// <summary>A feature this build does not include yet (exit code <see cref="ExitCodes.NotAvailable"/>).</summary>
    public static KanCliException NotAvailable(string feature) =>
        new($"{feature} is not available in this build of kan.", ExitCodes.NotAvailable);
}
