using KanCompile.Generators.Tests.Support;
using Microsoft.CodeAnalysis;

namespace KanCompile.Generators.Tests;

/// <summary>
/// The generator runs inside the compiler on every keystroke, so no input may make it throw, report an
/// internal failure (KAN0013) or emit source that does not compile.
/// </summary>
public sealed class RobustnessTests
{
    /// <summary>Odd but possible declarations, by name.</summary>
    public static readonly IReadOnlyDictionary<string, string> WeirdSources = new Dictionary<string, string>
    {
        ["attribute without arguments"] = "using KanCompile; [KanModel] public partial class A { }",
        ["empty width array"] = "using KanCompile; [KanModel(new int[0])] public partial class A { }",
        ["null width array"] = "using KanCompile; [KanModel(null)] public partial class A { }",
        ["null grid extensions"] = "using KanCompile; [KanModel(2, 1, GridExtensions = null)] public partial class A { }",
        ["negative everything"] = "using KanCompile; [KanModel(-2, -1, GridSize = -5, SplineOrder = -1, GridMin = -1e308, GridMax = -2e308, GridExtensions = new[] { -3, -4 }, BaseFunction = (KanBaseFunction)(-9))] public partial class A { }",
        ["extreme numbers"] = "using KanCompile; [KanModel(int.MaxValue, int.MaxValue, GridSize = int.MaxValue, SplineOrder = int.MinValue, GridExtensions = new[] { int.MaxValue })] public partial class A { }",
        ["largest allowed grid"] = "using KanCompile; [KanModel(1, 1, GridSize = 134217720, SplineOrder = 1)] public partial class A { }",
        ["attribute on a struct"] = "using KanCompile; [KanModel(2, 1)] public partial struct S { }",
        ["attribute on a record"] = "using KanCompile; [KanModel(2, 1)] public partial record R;",
        ["attribute on a record struct"] = "using KanCompile; [KanModel(2, 1)] public partial record struct R;",
        ["attribute on an interface"] = "using KanCompile; [KanModel(2, 1)] public partial interface I { }",
        ["attribute on a method"] = "using KanCompile; public partial class C { [KanModel(2, 1)] public void M() { } }",
        ["attribute twice on one declaration"] = "using KanCompile; [KanModel(2, 1)][KanModel(3, 1)] public partial class A { }",
        ["attribute on two partial declarations"] = "using KanCompile; [KanModel(2, 1)] public partial class A { } [KanModel(3, 1)] public partial class A { }",
        ["names differing only in case"] = "using KanCompile; namespace N { [KanModel(2, 1)] public partial class Model { } [KanModel(2, 1)] public partial class model { } }",
        ["keyword identifiers"] = "using KanCompile; namespace @event.@class { [KanModel(2, 1)] public partial class @class { } }",
        ["non-ASCII identifiers"] = "using KanCompile; namespace Modèles { [KanModel(2, 1)] public partial class Réseau { } }",
        ["file-local class"] = "using KanCompile; [KanModel(2, 1)] file partial class A { }",
        ["internal sealed class"] = "using KanCompile; [KanModel(2, 1)] internal sealed partial class A { }",
        ["nested in a generic class"] = "using KanCompile; public partial class O<T> { [KanModel(2, 1)] public partial class A { } }",
        ["base class is missing"] = "using KanCompile; [KanModel(2, 1)] public partial class A : Missing { }",
        ["wrong argument types"] = "using KanCompile; [KanModel(\"2\", 1, GridSize = 2.5, GridExtensions = new[] { \"x\" })] public partial class A { }",
        ["unknown named argument"] = "using KanCompile; [KanModel(2, 1, Depth = 3)] public partial class A { }",
        ["syntax errors"] = "using KanCompile; [KanModel(2, 1, GridSize = )] public partial class A { public void M( }",
        ["unterminated attribute"] = "using KanCompile; [KanModel(2, 1 public partial class",
        ["attribute class not referenced"] = "[KanModel(2, 1)] public partial class A { }",
        ["look-alike attribute in source"] = "namespace KanCompile { public sealed class KanModelAttribute : System.Attribute { public KanModelAttribute(string name) { } public string? GridSize { get; set; } public object? SplineOrder { get; set; } } } namespace N { [KanCompile.KanModel(\"x\", GridSize = \"five\", SplineOrder = \"three\")] public partial class A { } }",
    };

    public static TheoryData<string> WeirdSourceNames() => new TheoryData<string>(WeirdSources.Keys);

    [Theory]
    [MemberData(nameof(WeirdSourceNames))]
    public void GeneratorNeverThrowsNorEmitsBrokenCode(string name)
    {
        GeneratorRun run = GeneratorHarness.Run(WeirdSources[name]);
        AssertHealthy(run);
    }

    [Fact]
    public void WithoutTheRuntimeReferenceNothingIsGenerated()
    {
        IEnumerable<MetadataReference> frameworkOnly = GeneratorHarness.References
            .Where(r => !Path.GetFileName(r.Display ?? string.Empty).StartsWith("KanCompile", StringComparison.Ordinal));
        var compilation = GeneratorHarness.CreateCompilation(frameworkOnly, "using KanCompile; [KanModel(2, 1)] public partial class A { }");
        GeneratorRun run = GeneratorHarness.Run(compilation);

        AssertHealthy(run);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.Result.GeneratedSources);
    }

    [Fact]
    public void KeywordNamesAreEscapedInGeneratedCode()
    {
        GeneratorRun run = GeneratorHarness.Run(WeirdSources["keyword identifiers"]
            + " public static class Use { public static KanCompile.IKanModel Make() => new @event.@class.@class(seed: 2); }");
        AssertHealthy(run);
        Assert.Equal("event.class.class.Kan.g.cs", Assert.Single(run.Result.GeneratedSources).HintName);
        Assert.Empty(run.OutputErrors);
    }

    [Fact]
    public void ModelsWhoseNamesDifferOnlyInCaseGetDistinctFiles()
    {
        string source = WeirdSources["names differing only in case"]
            + " namespace n { [KanCompile.KanModel(1, 1)] public partial class MODEL { } }"
            + " namespace N { [KanCompile.KanModel(3, 1)] public partial class Other { } }";
        GeneratorRun run = GeneratorHarness.Run(source);

        AssertHealthy(run);
        Assert.Empty(run.OutputErrors);
        List<string> hints = run.Result.GeneratedSources.Select(s => s.HintName).OrderBy(h => h, StringComparer.Ordinal).ToList();
        Assert.Equal(4, hints.Count);
        Assert.Equal(4, hints.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Contains("N.Other.Kan.g.cs", hints);
        Assert.Single(hints, h => h.StartsWith("N.Model.", StringComparison.Ordinal));
        Assert.Single(hints, h => h.StartsWith("N.model.", StringComparison.Ordinal));
        Assert.Single(hints, h => h.StartsWith("n.MODEL.", StringComparison.Ordinal));
    }

    private static void AssertHealthy(GeneratorRun run)
    {
        Assert.Null(run.Result.Exception);
        Assert.DoesNotContain(run.DriverDiagnostics, d => d.Id is "CS8784" or "CS8785");
        Assert.DoesNotContain(run.Diagnostics, d => d.Id == "KAN0013");
        var generatedPaths = new HashSet<string>(run.Result.GeneratedSources.Select(s => s.SyntaxTree.FilePath));
        List<string> errorsInGeneratedCode = run.OutputErrors
            .Where(d => d.Location.SourceTree is { } tree && generatedPaths.Contains(tree.FilePath))
            .Select(d => d.ToString())
            .ToList();
        Assert.True(errorsInGeneratedCode.Count == 0, "Generated code does not compile:\n" + string.Join("\n", errorsInGeneratedCode));
    }
}
