using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KanCompile.Tests.Support;

/// <summary>Compiles exported C# in-process (warnings as errors) against the framework only — no KanCompile assembly.</summary>
public static class InProcessCompiler
{
    public delegate void SpanEvaluator(ReadOnlySpan<double> input, Span<double> output);

    /// <summary>
    /// The shared framework's assemblies, read once per test run: Roslyn keeps the symbols it builds for a
    /// reference on that reference's metadata, so every later compilation binds against them for free.
    /// Only the framework directory counts — the test host also trusts KanCompile, xunit, MathNet and Roslyn,
    /// none of which an export may use.
    /// </summary>
    private static readonly Lazy<MetadataReference[]> s_frameworkReferences = new(() =>
    {
        string framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => string.Equals(Path.GetDirectoryName(path), framework, StringComparison.Ordinal))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray();
    });

    public static Assembly Compile(string source)
    {
        var compilation = CSharpCompilation.Create(
            "Exported" + Guid.NewGuid().ToString("N"),
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))],
            s_frameworkReferences.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, warningLevel: 4,
                generalDiagnosticOption: ReportDiagnostic.Error, nullableContextOptions: NullableContextOptions.Enable));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        Assert.True(result.Success, string.Join(Environment.NewLine, result.Diagnostics) + Environment.NewLine + source);
        stream.Position = 0;
        return new AssemblyLoadContext(null, isCollectible: true).LoadFromStream(stream);
    }

    /// <summary>The exported class's <c>Evaluate(ReadOnlySpan&lt;double&gt;, Span&lt;double&gt;)</c> as a delegate.</summary>
    public static SpanEvaluator CompileSpanEvaluate(string source, string typeName)
    {
        var method = Compile(source).GetType(typeName)!.GetMethod("Evaluate", [typeof(ReadOnlySpan<double>), typeof(Span<double>)])!;
        return method.CreateDelegate<SpanEvaluator>();
    }
}
