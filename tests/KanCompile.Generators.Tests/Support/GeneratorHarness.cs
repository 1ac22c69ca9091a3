using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RoslynCompilation = Microsoft.CodeAnalysis.Compilation;

namespace KanCompile.Generators.Tests.Support;

/// <summary>
/// Compiles C# text in memory against the .NET reference set plus the KanCompile runtime and runs
/// <see cref="KanModelGenerator"/> over it, the way the compiler does during a build.
/// </summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new CSharpParseOptions(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new Lazy<ImmutableArray<MetadataReference>>(LoadReferences);

    /// <summary>The framework assemblies and the KanCompile runtime (with its own dependencies).</summary>
    public static ImmutableArray<MetadataReference> References => s_references.Value;

    /// <summary>A library compilation of <paramref name="sources"/>, named Model0.cs, Model1.cs, ...</summary>
    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CreateCompilation(References, sources);

    /// <summary>A library compilation of <paramref name="sources"/> against exactly <paramref name="references"/>.</summary>
    public static CSharpCompilation CreateCompilation(IEnumerable<MetadataReference> references, params string[] sources) =>
        CSharpCompilation.Create(
            "KanModels",
            sources.Select((text, index) => CSharpSyntaxTree.ParseText(text, ParseOptions, path: FileName(index))),
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>The path the harness gives source number <paramref name="index"/>.</summary>
    public static string FileName(int index) => "Model" + index + ".cs";

    /// <summary>A driver holding a fresh generator, optionally tracking incremental steps.</summary>
    public static GeneratorDriver CreateDriver(bool trackSteps = false) =>
        CSharpGeneratorDriver.Create(
            new[] { new KanModelGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs the generator once over <paramref name="sources"/>.</summary>
    public static GeneratorRun Run(params string[] sources) => Run(CreateCompilation(sources));

    /// <summary>Runs the generator once over <paramref name="compilation"/>.</summary>
    public static GeneratorRun Run(RoslynCompilation compilation)
    {
        GeneratorDriver driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out RoslynCompilation output, out ImmutableArray<Diagnostic> driverDiagnostics);
        GeneratorDriverRunResult result = driver.GetRunResult();
        return new GeneratorRun(result.Results.Single(), output, driverDiagnostics);
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var paths = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        string trusted = (string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty;
        foreach (string path in trusted.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            // Only the framework: test-host and xunit assemblies are also "trusted" but irrelevant.
            if (Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal)
                || Path.GetFileName(path) is "System.dll" or "mscorlib.dll" or "netstandard.dll")
            {
                paths.Add(path);
            }
        }

        Assembly runtime = typeof(KanModelAttribute).Assembly;
        paths.Add(runtime.Location);
        foreach (AssemblyName dependency in runtime.GetReferencedAssemblies())
        {
            paths.Add(Assembly.Load(dependency).Location);
        }

        return paths.OrderBy(p => p, StringComparer.Ordinal).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    }
}

/// <summary>One generator run: the generator's own result, the compilation with generated trees, and driver diagnostics.</summary>
internal sealed record GeneratorRun(GeneratorRunResult Result, RoslynCompilation Output, ImmutableArray<Diagnostic> DriverDiagnostics)
{
    /// <summary>Diagnostics the generator reported.</summary>
    public ImmutableArray<Diagnostic> Diagnostics => Result.Diagnostics;

    /// <summary>Errors of the compilation including the generated sources.</summary>
    public IReadOnlyList<Diagnostic> OutputErrors =>
        Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
}
