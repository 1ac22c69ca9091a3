using System.Globalization;
using KanCompile.Generators.Formulas;
using KanCompile.Generators.Model;

namespace KanCompile.Persistence;

/// <summary>
/// The model-file format ("kancompile.model"): its name, versions, field names, and the rules and problem texts
/// every reader applies, so <c>KanModel.Load</c> (runtime, System.Text.Json) and <c>[KanFormula]</c> (generator,
/// its own JSON reader) accept the same files and describe the same fault in the same words. Each check returns
/// the problem (naming the field) or null; the caller throws its own exception or reports its diagnostic.
/// </summary>
internal static class KanModelSchema
{
    /// <summary>Value of the <c>format</c> field.</summary>
    public const string FormatName = "kancompile.model";

    /// <summary>The newest format version readers accept (version 3 added <c>beyond_grid</c>).</summary>
    public const int CurrentVersion = 3;

    /// <summary>Version 2: multiplication nodes, a symbolic singularity threshold, classes.</summary>
    public const int ExtendedVersion = 2;

    /// <summary>Version 1: plain models, unchanged since the first format.</summary>
    public const int BaseVersion = 1;

    public const string Format = "format", Version = "version", Width = "width", MultNodes = "mult_nodes", MultArity = "mult_arity",
        GridIntervals = "grid_intervals", SplineOrder = "spline_order", BaseFun = "base_fun", BeyondGrid = "beyond_grid",
        GridRange = "grid_range", Seed = "seed", Layers = "layers", Grid = "grid", Coef = "coef", ScaleBase = "scale_base",
        ScaleSp = "scale_sp", Mask = "mask", SymbolicEdges = "symbolic_edges", SymbolicSingularityThreshold = "symbolic_singularity_threshold";

    /// <summary>The <c>base_fun</c> values, in the order of the base-function enums (SiLU, Identity, Zero).</summary>
    public const string SiLU = "silu", Identity = "identity", Zero = "zero";

    /// <summary>The <c>beyond_grid</c> values; no field means <see cref="BeyondGridPykan"/>.</summary>
    public const string BeyondGridSmooth = "smooth", BeyondGridPykan = "pykan";

    public static string MissingField(string name) => $"the field \"{name}\" is missing.";

    public const string MissingVersion = "the \"version\" field is missing.";

    public static string? FormatProblem(string? format) => format == FormatName
        ? null
        : format is null
            ? $"is not a KanCompile model file: the \"format\" field is missing (expected \"{FormatName}\")."
            : $"is not a KanCompile model file: \"format\" is \"{format}\", expected \"{FormatName}\".";

    public static string? VersionProblem(int version) =>
        version > CurrentVersion ? $"has format version {version}, newer than the version {CurrentVersion} this KanCompile reads; upgrade KanCompile to load it."
        : version < 1 ? $"has an invalid format version {version}."
        : null;

    /// <summary>The <c>base_fun</c> value of <paramref name="function"/>.</summary>
    public static string BaseFunctionName(KernelBaseFunction function) => function switch
    {
        KernelBaseFunction.SiLU => SiLU,
        KernelBaseFunction.Identity => Identity,
        KernelBaseFunction.Zero => Zero,
        _ => throw new ArgumentOutOfRangeException(nameof(function), function, "Unknown base function."),
    };

    /// <summary>The base function a <c>base_fun</c> value names; null for any other value (<see cref="UnknownBaseFunction"/>).</summary>
    public static KernelBaseFunction? ParseBaseFunction(string name) => name switch
    {
        SiLU => KernelBaseFunction.SiLU,
        Identity => KernelBaseFunction.Identity,
        Zero => KernelBaseFunction.Zero,
        _ => null,
    };

    /// <summary>The <c>beyond_grid</c> value of <paramref name="beyondGrid"/>: null (the field is left out) for pykan's behaviour.</summary>
    public static string? BeyondGridName(KernelBeyondGrid beyondGrid) => beyondGrid == KernelBeyondGrid.Smooth ? BeyondGridSmooth : null;

    /// <summary>
    /// The behaviour a <c>beyond_grid</c> value names, where no field (every file written before it existed) is
    /// pykan's; null for any other value (<see cref="UnknownBeyondGrid"/>).
    /// </summary>
    public static KernelBeyondGrid? ParseBeyondGrid(string? name) => name switch
    {
        null or BeyondGridPykan => KernelBeyondGrid.Pykan,
        BeyondGridSmooth => KernelBeyondGrid.Smooth,
        _ => null,
    };

    public static string UnknownBaseFunction(string name) => $"\"base_fun\" is \"{name}\"; expected \"{SiLU}\", \"{Identity}\" or \"{Zero}\".";

    public static string UnknownBeyondGrid(string name) =>
        $"\"beyond_grid\" is \"{name}\"; expected \"{BeyondGridSmooth}\" or \"{BeyondGridPykan}\" (or no field, which means \"{BeyondGridPykan}\").";

    /// <summary>Multiplication nodes: one non-negative count per width, none on the input and output layers, arity at least 2.</summary>
    public static string? MultiplicationProblem(int[] widths, int[] multiplication, int arity)
    {
        bool bad = multiplication.Length != widths.Length || arity < 2;
        for (int l = 0; !bad && l < multiplication.Length; l++)
        {
            bad = multiplication[l] < 0;
        }

        bad = bad || (multiplication.Length > 0 && (multiplication[0] != 0 || multiplication[multiplication.Length - 1] != 0));
        return bad
            ? $"\"mult_nodes\" is [{string.Join(", ", multiplication)}] with \"mult_arity\" {arity}; give one non-negative count per width, 0 on the input and output layers, and an arity of at least 2."
            : null;
    }

    /// <summary>At least two layers, each of at least one node (addition plus multiplication).</summary>
    public static string? WidthProblem(int[] widths, int[] multiplication)
    {
        bool bad = widths.Length < 2;
        for (int l = 0; !bad && l < widths.Length; l++)
        {
            bad = widths[l] < 0 || widths[l] + multiplication[l] < 1;
        }

        return bad ? $"\"width\" is [{string.Join(", ", widths)}]; a model needs at least two layers of at least one node." : null;
    }

    public static string? GridProblem(int gridIntervals, int splineOrder) =>
        gridIntervals < 1 ? $"\"grid_intervals\" is {gridIntervals}; it must be at least 1."
        : splineOrder < 0 || splineOrder > KernelSpec.MaxSplineOrder ? $"\"spline_order\" is {splineOrder}; it must be between 0 and {KernelSpec.MaxSplineOrder}."
        : null;

    public static string? GridRangeProblem(double[] range) =>
        range.Length != 2 || !IsFinite(range[0]) || !IsFinite(range[1]) || range[0] >= range[1]
            ? $"\"grid_range\" must be two finite numbers [min, max] with min < max; got [{string.Join(", ", range.Select(Text))}]."
            : null;

    public static string? LayerCountProblem(int layers, int[] widths) => layers != widths.Length - 1
        ? $"\"layers\" has {layers} entries but \"width\" [{string.Join(", ", widths)}] needs {widths.Length - 1}."
        : null;

    /// <summary>An array of the wrong length; <paramref name="meaning"/> says what the expected count counts.</summary>
    public static string? LengthProblem(int actual, int expected, string name, string meaning) => actual != expected
        ? $"\"{name}\" has {actual} entries; expected {expected} ({meaning})."
        : null;

    public const string KnotsMeaning = "grid_intervals + 2·spline_order + 1", CoefficientsMeaning = "grid_intervals + spline_order",
        InputNodesMeaning = "input nodes", OutputNodesMeaning = "output nodes";

    public static string NullEntry(string name) => $"\"{name}\" is null.";

    public static string NonFinite(string name, double value) => $"\"{name}\" is {Text(value)}; every number must be finite.";

    /// <summary>A node's knots must increase strictly.</summary>
    public static string? KnotProblem(string name, double[] knots)
    {
        for (int t = 1; t < knots.Length; t++)
        {
            if (!(knots[t] > knots[t - 1]))
            {
                return $"\"{name}\" is not strictly increasing at knot {t} ({Text(knots[t - 1])} then {Text(knots[t])}).";
            }
        }

        return null;
    }

    /// <summary>A symbolic edge's layer, input or output index outside the model (<paramref name="value"/> null: missing).</summary>
    public static string? SymbolicIndexProblem(string field, int? value, int count, string what) => value is int index && index >= 0 && index < count
        ? null
        : $"\"{field}\" is {(value is int v ? v.ToString(CultureInfo.InvariantCulture) : "missing")}; there are {count} {what}.";

    /// <summary>A symbolic edge's affine parameters (four finite numbers) and mask (a finite number); null when both hold.</summary>
    public static string? SymbolicValuesProblem(string name, IReadOnlyList<double>? affine, double? mask) =>
        affine is null || affine.Count != ExportModel.AffinePerEdge || !affine.All(IsFinite) ? $"\"{name}.affine\" must be four finite numbers [a, b, c, d]."
        : !(mask is double value && IsFinite(value)) ? $"\"{name}.mask\" is missing or not finite."
        : null;

    public static string RepeatedSymbolicEdge(string name, int layer, int input, int output) => $"\"{name}\" repeats edge ({layer},{input},{output}).";

    private static bool IsFinite(double value) => !double.IsNaN(value) && !double.IsInfinity(value);

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}
