namespace KanCompile.Persistence;

/// <summary>
/// Checks a model document before anything is built from it, so every problem is reported with the field
/// that holds it (e.g. <c>layers[1].coef[2][0]</c>) rather than as an index error later.
/// </summary>
internal static class KanModelValidator
{
    public static string BaseFunctionName(KanBaseFunction function) => function switch
    {
        KanBaseFunction.SiLU => "silu",
        KanBaseFunction.Identity => "identity",
        KanBaseFunction.Zero => "zero",
        _ => throw new ArgumentOutOfRangeException(nameof(function), function, "Unknown base function."),
    };

    public static KanBaseFunction ParseBaseFunction(string name, string? path) => name switch
    {
        "silu" => KanBaseFunction.SiLU,
        "identity" => KanBaseFunction.Identity,
        "zero" => KanBaseFunction.Zero,
        _ => throw new KanModelFileException(path, $"\"base_fun\" is \"{name}\"; expected \"silu\", \"identity\" or \"zero\"."),
    };

    /// <summary>The <c>beyond_grid</c> value of <paramref name="beyondGrid"/>: null (the field is left out) for pykan's behaviour.</summary>
    public static string? BeyondGridName(KanBeyondGrid beyondGrid) => beyondGrid == KanBeyondGrid.Smooth ? "smooth" : null;

    /// <summary>The behaviour a <c>beyond_grid</c> value names; absent (files written before the field existed) is pykan's.</summary>
    public static KanBeyondGrid ParseBeyondGrid(string? name, string? path) => name switch
    {
        null or "pykan" => KanBeyondGrid.Pykan,
        "smooth" => KanBeyondGrid.Smooth,
        _ => throw new KanModelFileException(path, $"\"beyond_grid\" is \"{name}\"; expected \"smooth\" or \"pykan\" (or no field, which means \"pykan\")."),
    };

    public static void Validate(KanModelDocument document, string? path)
    {
        int[] widths = Required(document.Width, "width", path);
        int[] multiplication = document.MultNodes ?? new int[widths.Length];
        int arity = document.MultArity ?? Generators.Model.KernelSpec.DefaultMultiplicationArity;
        if (multiplication.Length != widths.Length || multiplication.Any(m => m < 0) || (multiplication.Length > 0 && (multiplication[0] != 0 || multiplication[^1] != 0)) || arity < 2)
        {
            Fail(path, $"\"mult_nodes\" is [{string.Join(", ", multiplication)}] with \"mult_arity\" {arity}; give one non-negative count per width, 0 on the input and output layers, and an arity of at least 2.");
        }

        if (widths.Length < 2 || widths.Select((w, l) => w < 0 || w + multiplication[l] < 1).Any(bad => bad))
        {
            Fail(path, $"\"width\" is [{string.Join(", ", widths)}]; a model needs at least two layers of at least one node.");
        }

        int[] nodeWidths = widths.Select((w, l) => w + multiplication[l]).ToArray();
        int[] subnodeWidths = widths.Select((w, l) => w + arity * multiplication[l]).ToArray();

        int gridSize = Required(document.GridIntervals, "grid_intervals", path);
        int order = Required(document.SplineOrder, "spline_order", path);
        if (gridSize < 1)
        {
            Fail(path, $"\"grid_intervals\" is {gridSize}; it must be at least 1.");
        }

        if (order < 0 || order > KanArchitecture.MaxSplineOrder)
        {
            Fail(path, $"\"spline_order\" is {order}; it must be between 0 and {KanArchitecture.MaxSplineOrder}.");
        }

        ParseBaseFunction(Required(document.BaseFun, "base_fun", path), path);
        ParseBeyondGrid(document.BeyondGrid, path);
        double[] range = Required(document.GridRange, "grid_range", path);
        if (range.Length != 2 || !double.IsFinite(range[0]) || !double.IsFinite(range[1]) || range[0] >= range[1])
        {
            Fail(path, $"\"grid_range\" must be two finite numbers [min, max] with min < max; got [{string.Join(", ", range)}].");
        }

        Required(document.Seed, "seed", path);
        KanLayerDocument?[] layers = Required(document.Layers, "layers", path);
        if (layers.Length != widths.Length - 1)
        {
            Fail(path, $"\"layers\" has {layers.Length} entries but \"width\" [{string.Join(", ", widths)}] needs {widths.Length - 1}.");
        }

        int knots = gridSize + 2 * order + 1, coefficients = gridSize + order;
        for (int l = 0; l < layers.Length; l++)
        {
            string name = $"layers[{l}]";
            KanLayerDocument layer = layers[l] ?? throw new KanModelFileException(path, $"\"{name}\" is null.");
            int inputs = nodeWidths[l], outputs = subnodeWidths[l + 1];
            double[][] grid = Matrix(layer.Grid, $"{name}.grid", inputs, knots, "grid_intervals + 2·spline_order + 1", path);
            for (int i = 0; i < inputs; i++)
            {
                for (int t = 1; t < knots; t++)
                {
                    if (!(grid[i][t] > grid[i][t - 1]))
                    {
                        Fail(path, $"\"{name}.grid[{i}]\" is not strictly increasing at knot {t} ({grid[i][t - 1]} then {grid[i][t]}).");
                    }
                }
            }

            double[][][] coef = Required(layer.Coef, $"{name}.coef", path);
            CheckLength(coef.Length, inputs, $"{name}.coef", "input nodes", path);
            for (int i = 0; i < inputs; i++)
            {
                Matrix(coef[i], $"{name}.coef[{i}]", outputs, coefficients, "grid_intervals + spline_order", path);
            }

            Matrix(layer.ScaleBase, $"{name}.scale_base", inputs, outputs, "output nodes", path);
            Matrix(layer.ScaleSp, $"{name}.scale_sp", inputs, outputs, "output nodes", path);
            Matrix(layer.Mask, $"{name}.mask", inputs, outputs, "output nodes", path);
        }

        if (FindNonFinite(document) is string problem)
        {
            Fail(path, problem);
        }

        if (document.SymbolicSingularityThreshold is double threshold && !(threshold > 0.0 && double.IsFinite(threshold)))
        {
            Fail(path, $"\"symbolic_singularity_threshold\" is {threshold.ToString(System.Globalization.CultureInfo.InvariantCulture)}; it must be finite and > 0 (or absent for the plain functions).");
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

            string? problem = NonFinite(layer.Grid, $"layers[{l}].grid")
                ?? NonFinite(layer.ScaleBase, $"layers[{l}].scale_base")
                ?? NonFinite(layer.ScaleSp, $"layers[{l}].scale_sp")
                ?? NonFinite(layer.Mask, $"layers[{l}].mask");
            for (int i = 0; problem is null && layer.Coef is not null && i < layer.Coef.Length; i++)
            {
                problem = NonFinite(layer.Coef[i], $"layers[{l}].coef[{i}]");
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
                    return $"\"{name}[{r}][{c}]\" is {row[c]}; every number must be finite.";
                }
            }
        }

        return null;
    }

    private static double[][] Matrix(double[]?[]? matrix, string name, int rows, int columns, string columnMeaning, string? path)
    {
        double[]?[] value = Required(matrix, name, path);
        CheckLength(value.Length, rows, name, "input nodes", path);
        for (int r = 0; r < rows; r++)
        {
            double[] row = value[r] ?? throw new KanModelFileException(path, $"\"{name}[{r}]\" is null.");
            CheckLength(row.Length, columns, $"{name}[{r}]", columnMeaning, path);
        }

        return value!;
    }

    private static void CheckLength(int actual, int expected, string name, string meaning, string? path)
    {
        if (actual != expected)
        {
            Fail(path, $"\"{name}\" has {actual} entries; expected {expected} ({meaning}).");
        }
    }

    private static T Required<T>(T? value, string name, string? path)
        where T : class =>
        value ?? throw new KanModelFileException(path, $"the field \"{name}\" is missing.");

    private static T Required<T>(T? value, string name, string? path)
        where T : struct =>
        value ?? throw new KanModelFileException(path, $"the field \"{name}\" is missing.");

    private static void Fail(string? path, string problem) => throw new KanModelFileException(path, problem);
}
