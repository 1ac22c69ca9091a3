namespace KanCompile.PackageTests.Support;

/// <summary>What a finished child process did, formatted so a failed assertion shows all of it.</summary>
public sealed record ProcessResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError, TimeSpan Duration)
{
    public override string ToString() =>
        $"`{CommandLine}` exited with {ExitCode} after {Duration.TotalSeconds:F1} s{Environment.NewLine}" +
        $"--- stdout ---{Environment.NewLine}{StandardOutput}{Environment.NewLine}" +
        $"--- stderr ---{Environment.NewLine}{StandardError}";
}
