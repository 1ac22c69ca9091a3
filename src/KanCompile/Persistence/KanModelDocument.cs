namespace KanCompile.Persistence;

/// <summary>
/// The JSON shape of a model file (see <see cref="KanModelFile"/> for the format). Every member is nullable so
/// a missing field is reported by name instead of defaulting silently. Tensor names and index orders are
/// pykan's, as in the golden fixtures' model objects.
/// </summary>
internal sealed class KanModelDocument
{
    public string? Format { get; set; }

    public int? Version { get; set; }

    public int[]? Width { get; set; }

    /// <summary>
    /// Multiplication nodes per layer (pykan's second width entry, <c>width=[2,[5,2],1]</c> → [0, 2, 0]); absent for a
    /// model without them (version 1 files never have it).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int[]? MultNodes { get; set; }

    /// <summary>pykan's <c>mult_arity</c>; absent when <see cref="MultNodes"/> is.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? MultArity { get; set; }

    public int? GridIntervals { get; set; }

    public int? SplineOrder { get; set; }

    public string? BaseFun { get; set; }

    /// <summary>
    /// What the splines do beyond the grid: <c>smooth</c> (version 3) or <c>pykan</c>; absent means <c>pykan</c>, so files
    /// written before the choice existed keep their behaviour. Written only for <c>smooth</c>, so pykan models' files
    /// are unchanged.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? BeyondGrid { get; set; }

    public double[]? GridRange { get; set; }

    public int? Seed { get; set; }

    public KanLayerDocument?[]? Layers { get; set; }

    /// <summary>Symbolic edges (pykan's <c>fix_symbolic</c>); null or absent when the model has none.</summary>
    public KanSymbolicEdgeDocument?[]? SymbolicEdges { get; set; }

    /// <summary>
    /// <see cref="KanModel.SymbolicSingularityThreshold"/> (pykan's <c>y_th</c> with <c>singularity_avoiding</c>);
    /// absent when off (version 2 files only; older files load with it off).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public double? SymbolicSingularityThreshold { get; set; }

    /// <summary>A classifier's class names, index by index (<see cref="KanModel.Classes"/>); absent for other models (version 2 only).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string?[]? Classes { get; set; }

    /// <summary>How the classifier's outputs become a class: <c>softmax</c>, <c>logistic</c> or <c>nearest_index</c>; present exactly when <see cref="Classes"/> is.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? ClassDecision { get; set; }
}

/// <summary>One layer of edges: the tensors of pykan's <c>KANLayer</c>.</summary>
internal sealed class KanLayerDocument
{
    /// <summary>Extended knot vector of every input node: [in][G+2k+1].</summary>
    public double[][]? Grid { get; set; }

    /// <summary>Spline coefficients: [in][out][G+k].</summary>
    public double[][][]? Coef { get; set; }

    /// <summary>Residual scales: [in][out].</summary>
    public double[][]? ScaleBase { get; set; }

    /// <summary>Spline scales: [in][out].</summary>
    public double[][]? ScaleSp { get; set; }

    /// <summary>Numeric edge masks: [in][out].</summary>
    public double[][]? Mask { get; set; }
}

/// <summary>
/// The symbolic branch smask·(c·f(a·x+b)+d) of edge (layer, input → output), which replaces (numeric mask 0) or
/// joins the spline. Listed for every edge with a function, a non-zero symbolic mask or non-zero affine.
/// </summary>
internal sealed class KanSymbolicEdgeDocument
{
    public int? Layer { get; set; }

    public int? Input { get; set; }

    public int? Output { get; set; }

    /// <summary>Library name of f (pykan's <c>funs_name</c>); null for pykan's initial zero function.</summary>
    public string? Function { get; set; }

    /// <summary>(a, b, c, d).</summary>
    public double[]? Affine { get; set; }

    /// <summary>Symbolic mask (pykan's <c>symbolic_fun[l].mask[j][i]</c>).</summary>
    public double? Mask { get; set; }
}

/// <summary>Just the header, read first so a newer file is reported as such rather than as malformed.</summary>
internal sealed class KanModelHeader
{
    public string? Format { get; set; }

    public int? Version { get; set; }
}
