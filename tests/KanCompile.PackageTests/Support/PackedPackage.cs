namespace KanCompile.PackageTests.Support;

/// <summary>
/// Packs src/KanCompile once per test class into a fresh folder feed. The runtime and its generator were built
/// just before, in the test assembly's own configuration (a build-order ProjectReference), so the pack only
/// collects those binaries (--no-build, which also skips restore): compiling both projects again under a
/// private artifacts path cost ~42 s of CPU per run, the NoBuild pack ~4 s. Nothing but the nuspec in the runtime's
/// obj folder and the feed is written, so other test projects running at the same time are not disturbed.
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
            ["pack", RepositoryPaths.RuntimeProject, "-c", RepositoryPaths.Configuration, "--no-build", "-o", FeedDirectory, "-nodeReuse:false"],
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
