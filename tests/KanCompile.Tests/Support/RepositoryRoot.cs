namespace KanCompile.Tests.Support;

/// <summary>The repository the tests run from: the nearest folder above the test binaries that holds KanCompile.sln.</summary>
public static class RepositoryRoot
{
    /// <summary>The repository root, or null when the tests run outside a clone (e.g. from a copied output folder).</summary>
    public static string? Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "KanCompile.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
