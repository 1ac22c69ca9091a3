namespace KanCompile.Cli.Inspection;

/// <summary>What <c>kan info</c> reports about a saved model (camelCase with --json).</summary>
internal sealed class ModelInfo
{
    /// <summary>The model file.</summary>
    public required string File { get; init; }

    /// <summary>Node counts per layer, inputs first (addition nodes when there are multiplication nodes).</summary>
    public required int[] Widths { get; init; }

    /// <summary>Multiplication nodes per layer, inputs first (all zero for a plain KAN); pykan's <c>width=[2,[5,2],1]</c> is widths [2, 5, 1] with [0, 2, 0].</summary>
    public required int[] MultiplicationNodes { get; init; }

    /// <summary>Sub-nodes each multiplication node multiplies (pykan's <c>mult_arity</c>); null (left out of --json) without multiplication nodes.</summary>
    public required int? MultiplicationArity { get; init; }

    /// <summary>Grid intervals G.</summary>
    public required int Grid { get; init; }

    /// <summary>Spline order k.</summary>
    public required int Order { get; init; }

    /// <summary>Trainable parameters.</summary>
    public required int Parameters { get; init; }

    /// <summary>The residual function (SiLU, Identity or Zero).</summary>
    public required KanBaseFunction BaseFunction { get; init; }

    /// <summary>What the splines do beyond the grid: Smooth (continued with their boundary value and slope) or Pykan (padding zone, then 0).</summary>
    public required KanBeyondGrid BeyondGrid { get; init; }

    /// <summary>The range of the initial grid, [min, max].</summary>
    public required double[] GridRange { get; init; }

    /// <summary>Seed the model was initialised with.</summary>
    public required int Seed { get; init; }

    /// <summary>Edges in the network.</summary>
    public required int Edges { get; init; }

    /// <summary>Edges with a live spline or symbolic branch (pruning masks the others).</summary>
    public required int LiveEdges { get; init; }

    /// <summary>Edges with a live symbolic branch (pykan's <c>fix_symbolic</c>).</summary>
    public required int SymbolicEdges { get; init; }

    /// <summary>A classifier's class names (null for other models).</summary>
    public string[]? Classes { get; init; }

    /// <summary>How a classifier's outputs become a class (null for other models).</summary>
    public KanClassDecision? ClassDecision { get; init; }

    /// <summary>pykan's width list, e.g. <c>[2, [5, 2], 1]</c> (plain widths when there are no multiplication nodes).</summary>

    public string PykanWidth() => MultiplicationArity is null
        ? $"[{string.Join(", ", Widths)}]"
        : $"[{string.Join(", ", Widths.Select((w, l) => MultiplicationNodes[l] == 0 ? w.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"[{w}, {MultiplicationNodes[l]}]"))}]";

    /// <summary>Reads the facts from a loaded model.</summary>
    public static ModelInfo Describe(string file, KanModel model)
    {
        int edges = 0, live = 0, symbolic = 0;
        foreach (var edge in model.Edges)
        {
            edges++;
            bool isSymbolic = model.GetSymbolicMask(edge) != 0.0;
            live += model.GetMask(edge) != 0.0 || isSymbolic ? 1 : 0;
            symbolic += isSymbolic ? 1 : 0;
        }

        return new ModelInfo
        {
            File = file,
            Widths = model.Widths.ToArray(),
            MultiplicationNodes = model.MultiplicationNodes.ToArray(),
            MultiplicationArity = model.MultiplicationNodes.Any(m => m > 0) ? model.MultiplicationArity : null,
            Grid = model.GridSize,
            Order = model.SplineOrder,
            Parameters = model.ParameterCount,
            BaseFunction = model.BaseFunction,
            BeyondGrid = model.BeyondGrid,
            GridRange = [model.Architecture.GridMin, model.Architecture.GridMax],
            Seed = model.Seed,
            Edges = edges,
            LiveEdges = live,
            SymbolicEdges = symbolic,
            Classes = model.Classes?.Names.ToArray(),
            ClassDecision = model.Classes?.Decision,
        };
    }
}
