using System.Reflection;

namespace KanCompile.PackageTests.Support;

/// <summary>Locates the repository this test assembly was built from.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string RuntimeProject => Path.Combine(Root, "src", "KanCompile", "KanCompile.csproj");

    /// <summary>The configuration this assembly (and, through its build-order reference, the runtime) was built in.</summary>
    public static string Configuration { get; } = typeof(RepositoryPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .SingleOrDefault(a => a.Key == "BuildConfiguration")?.Value
        ?? throw new InvalidOperationException("The test assembly carries no BuildConfiguration; rebuild tests/KanCompile.PackageTests from the repository.");

    private static string FindRoot()
    {
        string? root = typeof(RepositoryPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        if (root is null || !File.Exists(Path.Combine(root, "src", "KanCompile", "KanCompile.csproj")))
        {
            throw new InvalidOperationException(
                $"The repository root baked into the test assembly ('{root}') does not contain src/KanCompile/KanCompile.csproj; rebuild tests/KanCompile.PackageTests from the repository.");
        }

        return root;
    }
}
