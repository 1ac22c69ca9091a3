using System.Reflection;

namespace KanCompile.Generators.Tests.Support;

/// <summary>
/// Compares text with an approved baseline committed under <c>Baselines/&lt;test&gt;/&lt;name&gt;</c> in this
/// project's source directory. Set the environment variable <c>KANCOMPILE_UPDATE_BASELINES=1</c> to (re)approve:
/// the current text is written over the baseline and the comparison passes; review the diff before committing.
/// </summary>
internal static class BaselineAssert
{
    /// <summary>The environment variable that turns comparison into approval.</summary>
    public const string UpdateVariable = "KANCOMPILE_UPDATE_BASELINES";

    /// <summary>Asserts <paramref name="actual"/> equals the baseline <c>Baselines/<paramref name="test"/>/<paramref name="fileName"/></c>.</summary>
    public static void Matches(string actual, string test, string fileName)
    {
        string path = Path.Combine(ProjectDirectory(), "Baselines", test, fileName);
        string[] actualLines = Lines(actual);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, string.Join("\n", actualLines));
            return;
        }

        Assert.True(File.Exists(path), "No baseline " + path + ". Run the tests with " + UpdateVariable + "=1 to create it, review it, and commit it.");
        string[] expectedLines = Lines(File.ReadAllText(path));
        int common = Math.Min(expectedLines.Length, actualLines.Length);
        for (int i = 0; i < common; i++)
        {
            if (!string.Equals(expectedLines[i], actualLines[i], StringComparison.Ordinal))
            {
                Assert.Fail(Difference(path, i, expectedLines[i], actualLines[i]));
            }
        }

        if (expectedLines.Length != actualLines.Length)
        {
            Assert.Fail(Difference(
                path,
                common,
                common < expectedLines.Length ? expectedLines[common] : "<end of file>",
                common < actualLines.Length ? actualLines[common] : "<end of file>"));
        }
    }

    private static string Difference(string path, int lineIndex, string expected, string actual) =>
        "Generated text differs from baseline " + path + " at line " + (lineIndex + 1) + ":\n"
        + "  expected: " + expected + "\n"
        + "  actual:   " + actual + "\n"
        + "If the change is intended, run the tests with " + UpdateVariable + "=1, review the diff and commit the baseline.";

    // Line endings are not part of the contract (.gitattributes pins LF, but a checkout may differ).
    private static string[] Lines(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');

    private static string ProjectDirectory()
    {
        string? directory = typeof(BaselineAssert).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "KanCompile.Generators.Tests.ProjectDirectory")?.Value;
        Assert.False(string.IsNullOrEmpty(directory), "The test assembly lacks its ProjectDirectory metadata (see the .csproj).");
        return directory!;
    }
}
