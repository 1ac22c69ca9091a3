using System.Globalization;
using System.Text;

namespace KanCompile.Cli.Tests.Support;

/// <summary>A fresh directory per test for data, model and prediction files; deleted afterwards.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("kan-cli-tests-").FullName;
    }

    public string Path { get; }

    /// <summary>The full path of <paramref name="name"/> inside the directory (not created).</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes <paramref name="lines"/> to <paramref name="name"/> and returns its path.</summary>
    public string Write(string name, params string[] lines)
    {
        string path = File(name);
        System.IO.File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }

    /// <summary>
    /// y = a + b·c on <paramref name="rows"/> points uniform in [-1, 1]³ (seeded), as "a,b,c,y" with a header.
    /// </summary>
    public string WriteProductData(string name, int rows = 200, int seed = 7)
    {
        var random = new Random(seed);
        var text = new StringBuilder("a,b,c,y\n");
        for (int r = 0; r < rows; r++)
        {
            double a = random.NextDouble() * 2 - 1, b = random.NextDouble() * 2 - 1, c = random.NextDouble() * 2 - 1;
            text.Append(string.Join(',', new[] { a, b, c, a + b * c }.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))).Append('\n');
        }

        string path = File(name);
        System.IO.File.WriteAllText(path, text.ToString());
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow file system must not fail the test that used it.
        }
    }
}
