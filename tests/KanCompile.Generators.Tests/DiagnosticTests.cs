using KanCompile.Generators.Diagnostics;
using KanCompile.Generators.Tests.Support;
using Microsoft.CodeAnalysis;

namespace KanCompile.Generators.Tests;

/// <summary>
/// One test per KanCompile diagnostic: each faulty declaration yields exactly that id, on the class name,
/// with a message that says what to change, and generates nothing.
/// </summary>
public sealed class DiagnosticTests
{
    private static string Model(string attribute, string declaration = "public partial class Toy { }") =>
        "using KanCompile;\n\nnamespace Sample;\n\n" + attribute + "\n" + declaration + "\n";

    private static Diagnostic Expect(string source, string id, string className, params string[] fragments) =>
        DiagnosticAssert.Single(GeneratorHarness.Run(source), source, id, className, fragments);

    [Fact]
    public void ValidModelHasNoDiagnosticsAndCompiles()
    {
        string source = Model("[KanModel(2, 5, 1, GridSize = 5, GridExtensions = new[] { 10 })]")
            + "\npublic static class Use\n{\n    public static double Run()\n    {\n"
            + "        IKanModel model = new Toy(seed: 3);\n        double[] output = new double[1];\n"
            + "        model.Forward(new double[] { 0.1, 0.2 }, output);\n        return output[0];\n    }\n}\n";
        GeneratorRun run = GeneratorHarness.Run(source);

        Assert.Null(run.Result.Exception);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.DriverDiagnostics);
        GeneratedSourceResult generated = Assert.Single(run.Result.GeneratedSources);
        Assert.Equal("Sample.Toy.Kan.g.cs", generated.HintName);
        Assert.Empty(run.OutputErrors);
    }

    [Fact]
    public void EveryDescriptorIsAnErrorWithItsOwnHelpAnchor()
    {
        Assert.Equal(22, KanDiagnostics.ById.Count);
        foreach (DiagnosticDescriptor descriptor in KanDiagnostics.ById.Values)
        {
            Assert.Equal(DiagnosticSeverity.Error, descriptor.DefaultSeverity);
            Assert.EndsWith("#" + descriptor.Id.ToLowerInvariant(), descriptor.HelpLinkUri, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Kan0001_ClassNotPartial() =>
        Expect(Model("[KanModel(2, 1)]", "public class Toy { }"), "KAN0001", "Toy", "'Toy'", "add the 'partial' modifier");

    [Theory]
    [InlineData("[KanModel(2)]", "declares 1 width(s)")]
    [InlineData("[KanModel]", "declares 0 width(s)")]
    [InlineData("[KanModel(new int[0])]", "declares 0 width(s)")]
    public void Kan0002_FewerThanTwoWidths(string attribute, string count) =>
        Expect(Model(attribute), "KAN0002", "Toy", count, "give at least the input and output widths");

    [Theory]
    [InlineData("[KanModel(2, 0, 1)]", "Width 1 of 'Toy' is 0")]
    [InlineData("[KanModel(-3, 1)]", "Width 0 of 'Toy' is -3")]
    public void Kan0003_WidthBelowOne(string attribute, string fragment) =>
        Expect(Model(attribute), "KAN0003", "Toy", fragment, "every layer needs at least one node");

    [Theory]
    [InlineData(0)]
    [InlineData(-4)]
    public void Kan0004_GridSizeBelowOne(int gridSize) =>
        Expect(Model("[KanModel(2, 1, GridSize = " + gridSize + ")]"), "KAN0004", "Toy", "GridSize of 'Toy' is " + gridSize, "use at least 1 grid interval");

    [Theory]
    [InlineData(-1)]
    [InlineData(8)]
    public void Kan0005_SplineOrderOutsideZeroToSeven(int order) =>
        Expect(Model("[KanModel(2, 1, SplineOrder = " + order + ")]"), "KAN0005", "Toy", "SplineOrder of 'Toy' is " + order, "supported orders are 0 to 7");

    [Theory]
    [InlineData("GridMin = 1, GridMax = 1", "[1, 1]")]
    [InlineData("GridMin = 2, GridMax = -2", "[2, -2]")]
    [InlineData("GridMin = double.NaN", "[NaN, 1]")]
    [InlineData("GridMax = double.PositiveInfinity", "[-1, Infinity]")]
    public void Kan0006_GridRangeEmptyOrNotFinite(string arguments, string range) =>
        Expect(Model("[KanModel(2, 1, " + arguments + ")]"), "KAN0006", "Toy", "grid range of 'Toy' is " + range, "GridMin must be below GridMax and both must be finite");

    [Theory]
    [InlineData("GridExtensions = new[] { 5 }", "5 is not")]
    [InlineData("GridExtensions = new[] { 3, 10 }", "3 is not")]
    [InlineData("GridExtensions = new[] { 10, 10 }", "10 is not")]
    [InlineData("GridExtensions = new[] { 10, 20, 15 }", "15 is not")]
    public void Kan0007_GridExtensionsNotIncreasingAboveGridSize(string arguments, string culprit) =>
        Expect(Model("[KanModel(2, 1, GridSize = 5, " + arguments + ")]"), "KAN0007", "Toy", "strictly increasing and each above GridSize 5", culprit);

    [Fact]
    public void Kan0008_GenericClass() =>
        Expect(Model("[KanModel(2, 1)]", "public partial class Toy<T> { }"), "KAN0008", "Toy", "'Toy' is generic", "non-generic classes directly in a namespace");

    [Fact]
    public void Kan0008_NestedClass()
    {
        string source = "using KanCompile;\n\nnamespace Sample;\n\npublic partial class Outer\n{\n    [KanModel(2, 1)]\n    public partial class Toy { }\n}\n";
        Expect(source, "KAN0008", "Toy", "'Toy' is nested in 'Outer'", "directly in a namespace");
    }

    [Theory]
    [InlineData("public partial record Toy;", "'Toy' is a record")]
    [InlineData("file partial class Toy { }", "'Toy' is file-local")]
    public void Kan0008_RecordOrFileLocalClass(string declaration, string fragment) =>
        Expect(Model("[KanModel(2, 1)]", declaration), "KAN0008", "Toy", fragment, "declare [KanModel] classes as non-generic classes");

    [Fact]
    public void Kan0009_TooMuchStackScratch() =>
        Expect(Model("[KanModel(100000, 1)]"), "KAN0009", "Toy", "bytes of stack scratch per sample", "at most 98304 bytes", "Reduce the widths or grid");

    [Theory]
    [InlineData("GridSize = 200000000")]
    [InlineData("GridSize = 5, GridExtensions = new[] { 300000000 }")]
    [InlineData("GridSize = 2147483647")]
    [InlineData("SplineOrder = 7, GridSize = 2147483640")]
    public void Kan0009_TooManyParameters(string arguments) =>
        Expect(Model("[KanModel(1, 1, " + arguments + ")]"), "KAN0009", "Toy", "parameters; the compiled kernels support at most 134217728 parameters", "KanNetwork");

    [Fact]
    public void Kan0010_DeclaresBaseClass() =>
        Expect(Model("[KanModel(2, 1)]", "public partial class Toy : Other { }\n\npublic class Other { }"), "KAN0010", "Toy", "derives from 'Sample.Other'", "remove the base class");

    [Fact]
    public void Kan0010_AllowsInterfacesAndAnExplicitKanModelBase()
    {
        string source = Model("[KanModel(2, 1)]", "public partial class Toy : KanModel, System.IDisposable { public void Dispose() { } }");
        GeneratorRun run = GeneratorHarness.Run(source);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.OutputErrors);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(-1)]
    public void Kan0011_BaseFunctionNotDefined(int value) =>
        Expect(Model("[KanModel(2, 1, BaseFunction = (KanBaseFunction)(" + value + "))]"), "KAN0011", "Toy", "BaseFunction of 'Toy' is " + value, "use SiLU, Identity or Zero");

    [Theory]
    [InlineData(2)]
    [InlineData(-1)]
    public void Kan0022_BeyondGridNotDefined(int value) =>
        Expect(Model("[KanModel(2, 1, BeyondGrid = (KanBeyondGrid)(" + value + "))]"), "KAN0022", "Toy", "BeyondGrid of 'Toy' is " + value, "use Pykan (the default) or Smooth");

    [Theory]
    [InlineData("static")]
    [InlineData("abstract")]
    public void Kan0012_StaticOrAbstractClass(string modifier) =>
        Expect(Model("[KanModel(2, 1)]", "public " + modifier + " partial class Toy { }"), "KAN0012", "Toy", "'Toy' is " + modifier, "non-static, non-abstract class");

    [Fact]
    public void ValidMultiplicationModelHasNoDiagnosticsAndCompiles()
    {
        string source = Model("[KanModel(2, 5, 1, MultiplicationNodes = new[] { 0, 2, 0 }, MultiplicationArity = 2)]")
            + "\npublic static class Use\n{\n    public static double Run()\n    {\n"
            + "        IKanModel model = new Toy(seed: 3);\n        double[] output = new double[1];\n"
            + "        model.Forward(new double[] { 0.1, 0.2 }, output);\n        return output[0];\n    }\n}\n";
        GeneratorRun run = GeneratorHarness.Run(source);

        Assert.Null(run.Result.Exception);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.OutputErrors);
        Assert.Single(run.Result.GeneratedSources);
    }

    [Fact]
    public void MultiplicationOnlyHiddenLayerOfWidthZeroIsValid()
    {
        GeneratorRun run = GeneratorHarness.Run(Model("[KanModel(2, 0, 1, MultiplicationNodes = new[] { 0, 1, 0 })]"));
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.OutputErrors);
    }

    [Theory]
    [InlineData("new[] { 0, 2 }", "has 2 entries but there are 3 widths")]
    [InlineData("new[] { 0, 2, 0, 0 }", "has 4 entries but there are 3 widths")]
    public void Kan0018_MultiplicationCountsLongerOrShorterThanWidths(string counts, string fragment) =>
        Expect(Model("[KanModel(2, 5, 1, MultiplicationNodes = " + counts + ")]"), "KAN0018", "Toy", fragment, "one count per layer");

    [Theory]
    [InlineData("new[] { 1, 2, 0 }", "on the input layer")]
    [InlineData("new[] { 0, 2, 3 }", "on the output layer")]
    public void Kan0019_MultiplicationOnInputOrOutputLayer(string counts, string fragment) =>
        Expect(Model("[KanModel(2, 5, 1, MultiplicationNodes = " + counts + ")]"), "KAN0019", "Toy", fragment, "only hidden layers can multiply");

    [Fact]
    public void Kan0020_NegativeMultiplicationCount() =>
        Expect(Model("[KanModel(2, 5, 1, MultiplicationNodes = new[] { 0, -2, 0 })]"), "KAN0020", "Toy", "MultiplicationNodes[1] of 'Toy' is -2", "cannot be negative");

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public void Kan0021_MultiplicationArityBelowTwo(int arity) =>
        Expect(Model("[KanModel(2, 5, 1, MultiplicationNodes = new[] { 0, 2, 0 }, MultiplicationArity = " + arity + ")]"), "KAN0021", "Toy", "MultiplicationArity of 'Toy' is " + arity, "at least 2 sub-nodes");
}
