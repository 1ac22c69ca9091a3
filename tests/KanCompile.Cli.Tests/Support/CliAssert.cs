using System.Text.Json;

namespace KanCompile.Cli.Tests.Support;

internal static class CliAssert
{
    /// <summary>The run succeeded, wrote nothing to stderr and exactly one JSON object to stdout; returns it.</summary>
    public static JsonElement SingleJsonObject(CliResult result)
    {
        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.True(result.Stderr.Length == 0, result.ToString());

        // JsonDocument.Parse rejects anything after the first value, so this proves stdout is ONE object.
        using var document = JsonDocument.Parse(result.Stdout);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        return document.RootElement.Clone();
    }

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
