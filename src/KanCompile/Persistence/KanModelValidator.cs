using KanCompile.Generators.Model;
using static KanCompile.Persistence.KanModelSchema;

namespace KanCompile.Persistence;

/// <summary>
/// Checks a model document before anything is built from it, so every problem is reported with the field
/// that holds it (e.g. <c>layers[1].coef[2][0]</c>) rather than as an index error later. The rules and their
/// texts are <see cref="KanModelSchema"/>'s, which [KanFormula]'s reader applies too.
/// </summary>
internal static class KanModelValidator
{
    // The names are the schema's; the public enums have the kernel enums' values.
    public static string BaseFunctionName(KanBaseFunction function) => KanModelSchema.BaseFunctionName((KernelBaseFunction)(int)function);

    public static KanBaseFunction ParseBaseFunction(string name, string? path) =>
        (KanBaseFunction)(int)(KanModelSchema.ParseBaseFunction(name) ?? throw new KanModelFileException(path, UnknownBaseFunction(name)));

    /// <summary>The <c>beyond_grid</c> value of <paramref name="beyondGrid"/>: null (the field is left out) for pykan's behaviour.</summary>
    public static string? BeyondGridName(KanBeyondGrid beyondGrid) => KanModelSchema.BeyondGridName((KernelBeyondGrid)(int)beyondGrid);

    /// <summary>The behaviour a <c>beyond_grid</c> value names; absent (files written before the field existed) is pykan's.</summary>
    public static KanBeyondGrid ParseBeyondGrid(string? name, string? path) =>
        (KanBeyondGrid)(int)(KanModelSchema.ParseBeyondGrid(name) ?? throw new KanModelFileException(path, UnknownBeyondGrid(name!)));

    public static void Validate(KanModelDocument document, string? path)
    {
        int[] widths = Required(document.Width, Width, path);
        int[] multiplication = document.MultNodes ?? new int[widths.Length];
        int arity = document.MultArity ?? Generators.Model.KernelSpec.DefaultMultiplicationArity;
        Check(MultiplicationProblem(widths, multiplication, arity), path);
        Check(WidthProblem(widths, multiplication), path);
        int[] nodeWidths = widths.Select((w, l) => w + multiplication[l]).ToArray();
        int[] subnodeWidths = widths.Select((w, l) => w + arity * multiplication[l]).ToArray();

        int gridSize = Required(document.GridIntervals, GridIntervals, path);
        int order = Required(document.SplineOrder, SplineOrder, path);
        Check(GridProblem(gridSize, order), path);
        ParseBaseFunction(Required(document.BaseFun, BaseFun, path), path);
        ParseBeyondGrid(document.BeyondGrid, path);
        Check(GridRangeProblem(Required(document.GridRange, GridRange, path)), path);
        Required(document.Seed, Seed, path);
        KanLayerDocument?[] layers = Required(document.Layers, Layers, path);
        Check(LayerCountProblem(layers.Length, widths), path);

        int knots = gridSize + 2 * order + 1, coefficients = gridSize + order;
        for (int l = 0; l < layers.Length; l++)
        {
            string name = $"layers[{l}]";
            KanLayerDocument layer = layers[l] ?? throw new KanModelFileException(path, NullEntry(name));
            int inputs = nodeWidths[l], outputs = subnodeWidths[l + 1];
            double[][] grid = Matrix(layer.Grid, $"{name}.{Grid}", inputs, InputNodesMeaning, knots, KnotsMeaning, path);
            for (int i = 0; i < inputs; i++)
            {
                Check(KnotProblem($"{name}.{Grid}[{i}]", grid[i]), path);
            }

            double[][][] coef = Required(layer.Coef, $"{name}.{Coef}", path);
            Check(LengthProblem(coef.Length, inputs, $"{name}.{Coef}", InputNodesMeaning), path);
            for (int i = 0; i < inputs; i++)
            {
                Matrix(coef[i], $"{name}.{Coef}[{i}]", outputs, OutputNodesMeaning, coefficients, CoefficientsMeaning, path);
            }

            Matrix(layer.ScaleBase, $"{name}.{ScaleBase}", inputs, InputNodesMeaning, outputs, OutputNodesMeaning, path);
            Matrix(layer.ScaleSp, $"{name}.{ScaleSp}", inputs, InputNodesMeaning, outputs, OutputNodesMeaning, path);
            Matrix(layer.Mask, $"{name}.{Mask}", inputs, InputNodesMeaning, outputs, OutputNodesMeaning, path);
        }

        Check(FindNonFinite(document), path);
        if (document.SymbolicSingularityThreshold is double threshold && !(threshold > 0.0 && double.IsFinite(threshold)))
        {
            Fail(path, $"\"{SymbolicSingularityThreshold}\" is {threshold.ToString(System.Globalization.CultureInfo.InvariantCulture)}; it must be finite and > 0 (or absent for the plain functions).");
        }
    }

    /// <summary>The first non-finite tensor entry, described by its field, or null.</summary>
    public static string? FindNonFinite(KanModelDocument document)
    {
        KanLayerDocument?[] layers = document.Layers ?? Array.Empty<KanLayerDocument?>();
        for (int l = 0; l < layers.Length; l++)
        {
            KanLayerDocument? layer = layers[l];
            if (layer is null)
            {
                continue;
            }

            string? problem = NonFinite(layer.Grid, $"layers[{l}].{Grid}")
                ?? NonFinite(layer.ScaleBase, $"layers[{l}].{ScaleBase}")
                ?? NonFinite(layer.ScaleSp, $"layers[{l}].{ScaleSp}")
                ?? NonFinite(layer.Mask, $"layers[{l}].{Mask}");
            for (int i = 0; problem is null && layer.Coef is not null && i < layer.Coef.Length; i++)
            {
                problem = NonFinite(layer.Coef[i], $"layers[{l}].{Coef}[{i}]");
            }

            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? NonFinite(double[]?[]? matrix, string name)
    {
        for (int r = 0; matrix is not null && r < matrix.Length; r++)
        {
            double[]? row = matrix[r];
            for (int c = 0; row is not null && c < row.Length; c++)
            {
                if (!double.IsFinite(row[c]))
                {
                    return KanModelSchema.NonFinite($"{name}[{r}][{c}]", row[c]);
                }
            }
        }

        return null;
    }

    private static double[][] Matrix(double[]?[]? matrix, string name, int rows, string rowMeaning, int columns, string columnMeaning, string? path)
    {
        double[]?[] value = Required(matrix, name, path);
        Check(LengthProblem(value.Length, rows, name, rowMeaning), path);
        for (int r = 0; r < rows; r++)
        {
            double[] row = value[r] ?? throw new KanModelFileException(path, NullEntry($"{name}[{r}]"));
            Check(LengthProblem(row.Length, columns, $"{name}[{r}]", columnMeaning), path);
        }

        return value!;
    }

    private static T Required<T>(T? value, string name, string? path)
        where T : class =>
        value ?? throw new KanModelFileException(path, MissingField(name));

    private static T Required<T>(T? value, string name, string? path)
        where T : struct =>
        value ?? throw new KanModelFileException(path, MissingField(name));

    private static void Check(string? problem, string? path)
    {
        if (problem is not null)
        {
            Fail(path, problem);
        }
    }

    private static void Fail(string? path, string problem) => throw new KanModelFileException(path, problem);
}
