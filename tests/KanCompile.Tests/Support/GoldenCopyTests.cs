using System.Security.Cryptography;

namespace KanCompile.Tests.Support;

/// <summary>
/// The fixtures under Golden/ are pykan's own output, copied from the shared golden set: they must stay byte-for-byte
/// what pykan wrote. Golden/SHA256SUMS holds the shared set's checksums (<c>cd ../shared/golden &amp;&amp; sha256sum *.json</c>);
/// every copy must match it, and where the shared set is present beside the repository, it must match too.
/// </summary>
public sealed class GoldenCopyTests
{
    private static readonly string GoldenDirectory = Path.Combine(AppContext.BaseDirectory, "Golden");

    private static Dictionary<string, string> Manifest() =>
        File.ReadAllLines(Path.Combine(GoldenDirectory, "SHA256SUMS"))
            .Where(line => line.Length > 0)
            .Select(line => line.Split("  ", 2))
            .ToDictionary(parts => parts[1], parts => parts[0]);

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public void Every_copied_fixture_matches_the_shared_checksums()
    {
        Dictionary<string, string> manifest = Manifest();
        string[] copies = Directory.GetFiles(GoldenDirectory, "*.json").Select(Path.GetFileName).ToArray()!;
        Assert.Equal(manifest.Keys.Order(), copies.Order());
        foreach (string name in copies)
        {
            Assert.True(manifest[name] == Sha256(Path.Combine(GoldenDirectory, name)), $"Golden/{name} differs from the shared pykan fixture: restore it from ../shared/golden.");
        }
    }

    [Fact]
    public void The_checksums_are_those_of_the_shared_set_when_it_is_present()
    {
        string? shared = SharedGoldenDirectory();
        if (shared is null)
        {
            return; // A clone without ../shared beside it: the copies are still checked against SHA256SUMS above.
        }

        foreach ((string name, string hash) in Manifest())
        {
            Assert.True(hash == Sha256(Path.Combine(shared, name)), $"SHA256SUMS disagrees with ../shared/golden/{name}: regenerate it there with sha256sum *.json.");
        }
    }

    /// <summary>../shared/golden beside the repository root (the folder holding KanCompile.sln), if there is one.</summary>
    private static string? SharedGoldenDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "KanCompile.sln")))
            {
                string shared = Path.Combine(directory.FullName, "..", "shared", "golden");
                return Directory.Exists(shared) ? shared : null;
            }
        }

        return null;
    }
}
