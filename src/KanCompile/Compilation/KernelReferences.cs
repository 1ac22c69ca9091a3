using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace KanCompile.Compilation;

/// <summary>
/// The assemblies an on-demand kernel is compiled against: the runtime (where <see cref="KanKernel"/> lives),
/// the core library, and the assemblies the runtime references — Roslyn needs System.Runtime's type
/// forwards to read <see cref="KanKernel"/>'s signatures. Files come from the host's trusted platform
/// assembly list (falling back to loaded assemblies' locations), so the same code works under a test host,
/// <c>dotnet run</c> and a framework-dependent or self-contained published app.
/// </summary>
internal static class KernelReferences
{
    private const string CoreLibrary = "System.Private.CoreLib";
    private const string RuntimeFacade = "System.Runtime";
    private const string SingleFileJustification =
        "In a single-file app locations are empty; RequireFile reports that and the provider falls back to the reference engine.";

    [UnconditionalSuppressMessage("SingleFile", "IL3000:Avoid accessing Assembly file path when publishing as a single file", Justification = SingleFileJustification)]
    public static ImmutableArray<MetadataReference> Resolve()
    {
        Assembly runtime = typeof(KanKernel).Assembly;
        Dictionary<string, string> platform = PlatformAssemblies();
        var paths = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [runtime.GetName().Name!] = RequireFile(runtime.Location, runtime.GetName().Name!),
            [CoreLibrary] = RequireFile(Locate(CoreLibrary, platform) ?? typeof(object).Assembly.Location, CoreLibrary),
        };

        foreach (AssemblyName reference in runtime.GetReferencedAssemblies())
        {
            string name = reference.Name!;
            if (!paths.ContainsKey(name) && Locate(name, platform) is { Length: > 0 } path)
            {
                paths[name] = path;
            }
        }

        if (!paths.ContainsKey(RuntimeFacade))
        {
            paths[RuntimeFacade] = RequireFile(Locate(RuntimeFacade, platform), RuntimeFacade);
        }

        return paths.Values.Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToImmutableArray();
    }

    /// <summary>Simple name → file of every assembly the host trusts (empty when the host gives no list).</summary>
    private static Dictionary<string, string> PlatformAssemblies()
    {
        var assemblies = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string list)
        {
            foreach (string path in list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                assemblies.TryAdd(Path.GetFileNameWithoutExtension(path), path);
            }
        }

        return assemblies;
    }

    [UnconditionalSuppressMessage("SingleFile", "IL3000:Avoid accessing Assembly file path when publishing as a single file", Justification = SingleFileJustification)]
    private static string? Locate(string name, Dictionary<string, string> platform)
    {
        if (platform.TryGetValue(name, out string? path) && File.Exists(path))
        {
            return path;
        }

        try
        {
            string location = Assembly.Load(new AssemblyName(name)).Location;
            return location.Length == 0 ? null : location;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string RequireFile(string? path, string name)
    {
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            throw new InvalidOperationException(
                $"Cannot compile kernels: the assembly '{name}' has no file on disk to compile against (single-file bundles and hosts that load assemblies from memory hide it).");
        }

        return path;
    }
}
