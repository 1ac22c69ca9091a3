using System.IO.Compression;
using System.Security.Cryptography;
using System.Xml.Linq;
using KanCompile.PackageTests.Support;

namespace KanCompile.PackageTests;

/// <summary>
/// One PackageReference must give a consumer the attributes, the runtime and the source generator:
/// the package is inspected, then a console project that knows KanCompile only through it is built and run.
/// </summary>
public sealed class PackageTests(PackedPackage package) : IClassFixture<PackedPackage>
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(1);

    [Fact]
    public void Package_ShipsRuntimeInLibAndGeneratorInAnalyzers_WithoutGeneratorDependency()
    {
        Assert.True(package.PackResult.ExitCode == 0, package.PackResult.ToString());
        Assert.True(File.Exists(package.PackagePath), $"{package.PackagePath} was not created.{Environment.NewLine}{package.PackResult}");

        using ZipArchive archive = ZipFile.OpenRead(package.PackagePath);
        var entries = archive.Entries.Select(e => e.FullName).ToList();
        string listing = string.Join(Environment.NewLine, entries);

        Assert.True(entries.Contains("lib/net10.0/KanCompile.dll"), listing);
        Assert.True(entries.Contains("analyzers/dotnet/cs/KanCompile.Generators.dll"), listing);
        // The generator is loaded by the compiler only; Roslyn itself comes from the host, never from the package.
        Assert.Equal(["analyzers/dotnet/cs/KanCompile.Generators.dll"], entries.Where(e => e.StartsWith("analyzers/", StringComparison.Ordinal)));
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.EndsWith("KanCompile.Generators.dll", StringComparison.Ordinal));

        XElement metadata = ReadNuspecMetadata(archive);
        string nuspec = metadata.ToString();
        Assert.True(Value(metadata, "id") == PackedPackage.Id, nuspec);
        Assert.True(Value(metadata, "version") == PackedPackage.Version, nuspec);
        Assert.True(Value(metadata, "license") == "MIT", nuspec);
        Assert.False(string.IsNullOrWhiteSpace(Value(metadata, "description")), nuspec);
        Assert.Contains("kan", (Value(metadata, "tags") ?? string.Empty).Split(' '));

        var dependencies = metadata.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => (string?)e.Attribute("id")).ToList();
        Assert.DoesNotContain("KanCompile.Generators", dependencies);
        Assert.Contains("CsvHelper", dependencies);
        Assert.Contains("System.Numerics.Tensors", dependencies);
        Assert.Contains("Microsoft.CodeAnalysis.CSharp", dependencies);

        // The package's own short readme, not the repository's README.
        Assert.True(entries.Contains("README.md"), listing);
        Assert.True(Value(metadata, "readme") == "README.md", nuspec);
        using (var readme = new StreamReader(archive.GetEntry("README.md")!.Open()))
        {
            Assert.Equal(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src", "KanCompile", "README.nuget.md")), readme.ReadToEnd());
        }
    }

    [Fact]
    public void Consumer_BuildsAndRunsFromThePackageAlone()
    {
        Assert.True(package.PackResult.ExitCode == 0, package.PackResult.ToString());

        string consumer = Path.Combine(package.WorkDirectory, "consumer");
        // A private package folder: a stale KanCompile 0.1.0 cached by an earlier run can never be picked up.
        string packages = Path.Combine(package.WorkDirectory, "packages");
        CopyTemplate(consumer);
        WriteNuGetConfig(consumer, package.FeedDirectory, packages);
        var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = packages };

        ProcessResult build = DotNetCli.Run(
            consumer,
            ["build", "Consumer.csproj", "-c", "Release", "-nodeReuse:false", "-p:EmitCompilerGeneratedFiles=true"],
            environment,
            BuildTimeout);
        Assert.True(build.ExitCode == 0, build.ToString());

        AssertRestoredFromFreshPack(packages);
        string generatedSources = Path.Combine(consumer, "obj", "Release", "net10.0", "generated", "KanCompile.Generators");
        Assert.True(Directory.Exists(generatedSources) && Directory.EnumerateFiles(generatedSources, "*.g.cs", SearchOption.AllDirectories).Any(),
            $"The packaged generator wrote nothing under {generatedSources}.{Environment.NewLine}{build}");

        ProcessResult run = DotNetCli.Run(consumer, [Path.Combine("bin", "Release", "net10.0", "Consumer.dll")], environment, RunTimeout);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(run.StandardOutput.Contains("KANCOMPILE-PACKAGE-OK", StringComparison.Ordinal), run.ToString());

        // [2, 3, 1], G = 5, k = 3: every edge has G + k coefficients plus scale_base and scale_sp.
        int expectedParameters = ((2 * 3) + (3 * 1)) * (5 + 3 + 2);
        Assert.True(run.StandardOutput.Contains($"parameters={expectedParameters} ", StringComparison.Ordinal), run.ToString());
    }

    private void AssertRestoredFromFreshPack(string packages)
    {
        string id = PackedPackage.Id.ToLowerInvariant();
        string hashFile = Path.Combine(packages, id, PackedPackage.Version, $"{id}.{PackedPackage.Version}.nupkg.sha512");
        Assert.True(File.Exists(hashFile), $"Restore did not extract {PackedPackage.Id} {PackedPackage.Version} into {packages}.");
        string expected = Convert.ToBase64String(SHA512.HashData(File.ReadAllBytes(package.PackagePath)));
        Assert.True(File.ReadAllText(hashFile).Trim() == expected, $"The consumer restored a {PackedPackage.Id} {PackedPackage.Version} that is not the one just packed.");
    }

    private static void CopyTemplate(string destination)
    {
        string template = Path.Combine(AppContext.BaseDirectory, "ConsumerTemplate");
        Directory.CreateDirectory(destination);
        foreach (string file in Directory.EnumerateFiles(template))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }
    }

    /// <summary>
    /// The fresh feed is listed first; the machine's own sources stay inherited (no &lt;clear/&gt;) so the
    /// runtime's dependencies restore the way every other project here restores them.
    /// </summary>
    private static void WriteNuGetConfig(string directory, string feed, string packages)
    {
        var config = new XDocument(
            new XElement("configuration",
                new XElement("config", new XElement("add", new XAttribute("key", "globalPackagesFolder"), new XAttribute("value", packages))),
                new XElement("packageSources", new XElement("add", new XAttribute("key", "kancompile-fresh-pack"), new XAttribute("value", feed)))));
        config.Save(Path.Combine(directory, "nuget.config"));
    }

    private static XElement ReadNuspecMetadata(ZipArchive archive)
    {
        ZipArchiveEntry nuspec = archive.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/'));
        using Stream stream = nuspec.Open();
        return XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static string? Value(XElement metadata, string name) =>
        metadata.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
}
