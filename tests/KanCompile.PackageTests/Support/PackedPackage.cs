namespace KanCompile.PackageTests.Support;

/// <summary>
/// Packs src/KanCompile once per test class into a fresh folder feed. Everything the pack writes (obj, bin,
/// restore output) goes under its own artifacts path, so it cannot collide with the repository's builds or
/// with other test projects running at the same time, and needs no prior build.
/// </summary>
public sealed class PackedPackage : IDisposable
{
    public const string Id = "KanCompile";
    public const string Version = "0.1.0";

    public PackedPackage()
    {
        WorkDirectory = Directory.CreateTempSubdirectory("kancompile-package-tests-").FullName;
        FeedDirectory = Path.Combine(WorkDirectory, "feed");
        PackResult = DotNetCli.Run(
            RepositoryPaths.Root,
            ["pack", RepositoryPaths.RuntimeProject, "-c", "Release", "-o", FeedDirectory, "--artifacts-path", Path.Combine(WorkDirectory, "artifacts"), "-nodeReuse:false"],
            new Dictionary<string, string>(),
            TimeSpan.FromMinutes(5));
    }

    /// <summary>A temporary folder owned by this fixture and deleted with it.</summary>
    public string WorkDirectory { get; }

    /// <summary>A local folder feed holding only the freshly packed package.</summary>
    public string FeedDirectory { get; }

    public ProcessResult PackResult { get; }

    public string PackagePath => Path.Combine(FeedDirectory, $"{Id}.{Version}.nupkg");

    public void Dispose()
    {
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail the run.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
