using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace KanCompile.Generators.Diagnostics;

/// <summary>
/// Every diagnostic KanCompile reports, in one catalog. IDs are stable; each message says how to fix the
/// problem. Documented in docs/diagnostics.md and tracked in AnalyzerReleases.*.md.
/// </summary>
internal static class KanDiagnostics
{
    public const string Category = "KanCompile";
    private const string HelpLink = "https://github.com/kancompile/kancompile/blob/main/docs/diagnostics.md";

    public static readonly DiagnosticDescriptor NotPartial = Error(
        "KAN0001", "KAN model class must be partial",
        "The class '{0}' has [KanModel] but is not partial; add the 'partial' modifier so KanCompile can generate its kernels");

    public static readonly DiagnosticDescriptor TooFewWidths = Error(
        "KAN0002", "KAN model needs at least two widths",
        "[KanModel] on '{0}' declares {1} width(s); give at least the input and output widths, e.g. [KanModel(2, 5, 1)]");

    public static readonly DiagnosticDescriptor WidthTooSmall = Error(
        "KAN0003", "KAN layer width must be at least 1",
        "Width {1} of '{0}' is {2}; every layer needs at least one node");

    public static readonly DiagnosticDescriptor GridSizeTooSmall = Error(
        "KAN0004", "Grid size must be at least 1",
        "GridSize of '{0}' is {1}; use at least 1 grid interval (the default is 5)");

    public static readonly DiagnosticDescriptor SplineOrderOutOfRange = Error(
        "KAN0005", "Spline order out of range",
        "SplineOrder of '{0}' is {1}; supported orders are 0 to 7 (the default, 3, is cubic)");

    public static readonly DiagnosticDescriptor InvalidGridRange = Error(
        "KAN0006", "Invalid grid range",
        "The grid range of '{0}' is [{1}, {2}]; GridMin must be below GridMax and both must be finite (the default is [-1, 1])");

    public static readonly DiagnosticDescriptor InvalidGridExtensions = Error(
        "KAN0007", "Invalid grid extensions",
        "GridExtensions of '{0}' must be strictly increasing and each above GridSize {1}; {2} is not");

    public static readonly DiagnosticDescriptor UnsupportedContainingType = Error(
        "KAN0008", "Unsupported KAN model declaration",
        "'{0}' is {1}; declare [KanModel] classes as non-generic classes directly in a namespace");

    public static readonly DiagnosticDescriptor ModelTooLarge = Error(
        "KAN0009", "KAN model too large to compile",
        "'{0}' needs {1}; the compiled kernels support at most {2}. Reduce the widths or grid, or build the shape at run time with KanNetwork");

    public static readonly DiagnosticDescriptor HasBaseClass = Error(
        "KAN0010", "KAN model class cannot declare a base class",
        "'{0}' derives from '{1}', but a [KanModel] class derives from KanCompile.KanModel; remove the base class (interfaces are fine)");

    public static readonly DiagnosticDescriptor InvalidBaseFunction = Error(
        "KAN0011", "Unknown base function",
        "BaseFunction of '{0}' is {1}, which is not a KanBaseFunction; use SiLU, Identity or Zero");

    public static readonly DiagnosticDescriptor NotInstantiable = Error(
        "KAN0012", "KAN model class must be instantiable",
        "'{0}' is {1}; a [KanModel] class must be a non-static, non-abstract class");

    public static readonly DiagnosticDescriptor GeneratorFailure = Error(
        "KAN0013", "KanCompile could not generate a model",
        "KanCompile could not generate '{0}': {1}. This is a bug in KanCompile; please report it with the declaration");

    public static readonly DiagnosticDescriptor FormulaClassShape = Error(
        "KAN0014", "KAN formula class must be static partial",
        "'{0}' has [KanFormula] but is not a non-generic static partial class directly in a namespace; declare it as 'public static partial class {0} {{ }}'");

    public static readonly DiagnosticDescriptor FormulaFileMissing = Error(
        "KAN0015", "KAN model file not found",
        "[KanFormula] on '{0}' names '{1}', which is not among the project's AdditionalFiles; add <AdditionalFiles Include=\"{1}\" /> to the project file and check the path");

    public static readonly DiagnosticDescriptor FormulaFileInvalid = Error(
        "KAN0016", "KAN model file cannot be used",
        "The model file '{1}' named by [KanFormula] on '{0}' cannot be used: {2}. Save it again with model.Save");

    public static readonly DiagnosticDescriptor FormulaUnknownFunction = Error(
        "KAN0017", "KAN model file uses a function the generator does not know",
        "The model file '{1}' named by [KanFormula] on '{0}' has a symbolic edge with the function '{2}', which is not in KanCompile's built-in library; export this model at run time with model.ExportCSharp (its library knows '{2}') or fix that edge to a built-in function");
    public static readonly DiagnosticDescriptor MultiplicationCountMismatch = Error(
        "KAN0018", "Multiplication node counts do not match the widths",
        "MultiplicationNodes of '{0}' has {1} entries but there are {2} widths; give one count per layer, inputs first (e.g. new[] {{ 0, 2, 0 }} for [KanModel(2, 5, 1)])");

    public static readonly DiagnosticDescriptor MultiplicationOnInputOrOutput = Error(
        "KAN0019", "Multiplication nodes on the input or output layer",
        "MultiplicationNodes of '{0}' puts {2} multiplication node(s) on the {1} layer; only hidden layers can multiply, so set that entry to 0");

    public static readonly DiagnosticDescriptor NegativeMultiplicationCount = Error(
        "KAN0020", "Negative multiplication node count",
        "MultiplicationNodes[{1}] of '{0}' is {2}; counts cannot be negative");

    public static readonly DiagnosticDescriptor MultiplicationArityTooSmall = Error(
        "KAN0021", "Multiplication arity below 2",
        "MultiplicationArity of '{0}' is {1}; a multiplication node multiplies at least 2 sub-nodes (the default is 2)");

    public static readonly DiagnosticDescriptor InvalidBeyondGrid = Error(
        "KAN0022", "Unknown behaviour beyond the grid",
        "BeyondGrid of '{0}' is {1}, which is not a KanBeyondGrid; use Pykan (the default) or Smooth");

    /// <summary>All descriptors, by id.</summary>
    public static readonly IReadOnlyDictionary<string, DiagnosticDescriptor> ById = new[]
    {
        NotPartial, TooFewWidths, WidthTooSmall, GridSizeTooSmall, SplineOrderOutOfRange, InvalidGridRange,
        InvalidGridExtensions, UnsupportedContainingType, ModelTooLarge, HasBaseClass, InvalidBaseFunction,
        NotInstantiable, GeneratorFailure, FormulaClassShape, FormulaFileMissing, FormulaFileInvalid,
        FormulaUnknownFunction,
        MultiplicationCountMismatch, MultiplicationOnInputOrOutput, NegativeMultiplicationCount, MultiplicationArityTooSmall,
        InvalidBeyondGrid,
    }.ToDictionary(d => d.Id);

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new DiagnosticDescriptor(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink + "#" + id.ToLowerInvariant());
}
