namespace KanCompile.Cli.Tests.Support;

/// <summary>What one in-process run of kan produced.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The lines written to stderr, without the trailing empty one.</summary>
    public string[] ErrorLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    /// <summary>Runs kan with <paramref name="args"/>, capturing both streams (plain, non-interactive output).</summary>
    public static CliResult Run(params string[] args) => Run(interactive: false, args);

    /// <summary>Runs kan as if stdout were (or were not) a terminal.</summary>
    public static CliResult Run(bool interactive, params string[] args) => Run(interactive, CancellationToken.None, args);

    /// <summary>Runs kan with a cancellation token standing in for Ctrl+C.</summary>
    public static CliResult Run(bool interactive, CancellationToken cancellationToken, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exitCode = KanCli.Run(args, stdout, stderr, interactive, cancellationToken);
        return new CliResult(exitCode, stdout.ToString(), stderr.ToString());
    }

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
