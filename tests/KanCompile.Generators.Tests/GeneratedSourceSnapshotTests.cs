using KanCompile.Generators.Tests.Support;
using Microsoft.CodeAnalysis;

namespace KanCompile.Generators.Tests;

/// <summary>
/// Snapshot tests: the full generated source of two models is compared with approved baselines in
/// <c>tests/KanCompile.Generators.Tests/Baselines/&lt;test&gt;/&lt;hint name&gt;.txt</c>.
/// <para>To re-approve after an intended change to the emitted code, run
/// <c>KANCOMPILE_UPDATE_BASELINES=1 dotnet test tests/KanCompile.Generators.Tests</c>, review
/// <c>git diff tests/KanCompile.Generators.Tests/Baselines</c>, and commit the baselines.</para>
/// </summary>
public sealed class GeneratedSourceSnapshotTests
{
    [Fact]
    public void NamespacedModelWithGridExtension()
    {
        const string source = """
            using KanCompile;

            namespace Sample;

            [KanModel(2, 5, 1, GridSize = 5, GridExtensions = new[] { 10 })]
            public partial class Toy { }
            """;
        AssertGenerated(source, nameof(NamespacedModelWithGridExtension), "Sample.Toy.Kan.g.cs");
    }

    [Fact]
    public void GlobalNamespaceIdentityModel()
    {
        const string source = """
            using KanCompile;

            [KanModel(1, 1, GridSize = 3, SplineOrder = 1, BaseFunction = KanBaseFunction.Identity)]
            public partial class Line { }
            """;
        AssertGenerated(source, nameof(GlobalNamespaceIdentityModel), "Line.Kan.g.cs");
    }

    [Fact]
    public void MultiplicationModel()
    {
        const string source = """
            using KanCompile;

            namespace Sample;

            [KanModel(2, 5, 1, GridSize = 3, MultiplicationNodes = new[] { 0, 2, 0 }, MultiplicationArity = 2, BaseFunction = KanBaseFunction.Identity)]
            public partial class Product { }
            """;
        AssertGenerated(source, nameof(MultiplicationModel), "Sample.Product.Kan.g.cs");
    }

    private static void AssertGenerated(string source, string test, string hintName)
    {
        GeneratorRun run = GeneratorHarness.Run(source);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.OutputErrors);
        GeneratedSourceResult generated = Assert.Single(run.Result.GeneratedSources);
        Assert.Equal(hintName, generated.HintName);
        BaselineAssert.Matches(generated.SourceText.ToString(), test, hintName + ".txt");
    }
}
