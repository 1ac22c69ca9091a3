namespace KanCompile.Cli.Tests.Support;

internal static class CliAssert
{
    /// <summary>
    /// The run failed with <paramref name="exitCode"/>, wrote nothing to stdout and exactly one stderr line,
    /// "error: ...", containing every fragment (file, row, column, option, value).
    /// </summary>
    public static void OneLineError(CliResult result, int exitCode, params string[] fragments)
    {
        Assert.True(result.ExitCode == exitCode, $"expected exit {exitCode}; got {result}");
        Assert.True(result.Stdout.Length == 0, $"expected nothing on stdout; got {result}");
        string line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("error: ", line);
        Assert.DoesNotContain(" at KanCompile", line);
        foreach (string fragment in fragments)
        {
            Assert.True(line.Contains(fragment, StringComparison.Ordinal), $"'{fragment}' missing from: {line}");
        }
    }
}
