namespace KanCompile.Cli.Inspection;

/// <summary>What <c>kan info</c> reports about a saved model (camelCase with --json).</summary>
internal sealed class ModelInfo
{
    /// <summary>The model file.</summary>
    public required string File { get; init; }

    /// <summary>Node counts per layer, inputs first.</summary>
    public required int[] Widths { get; init; }

    /// <summary>Grid intervals G.</summary>
    public required int Grid { get; init; }

    /// <summary>Spline order k.</summary>
    public required int Order { get; init; }

    /// <summary>Trainable parameters.</summary>
    public required int Parameters { get; init; }

    /// <summary>The residual function (SiLU, Identity or Zero).</summary>
    public required KanBaseFunction BaseFunction { get; init; }

    /// <summary>The range of the initial grid, [min, max].</summary>
    public required double[] GridRange { get; init; }

    /// <summary>Seed the model was initialised with.</summary>
    public required int Seed { get; init; }

    /// <summary>Edges in the network.</summary>
    public required int Edges { get; init; }

    /// <summary>Edges whose mask is not zero (pruning masks the others).</summary>
    public required int LiveEdges { get; init; }

    /// <summary>Reads the facts from a loaded model.</summary>
    public static ModelInfo Describe(string file, KanModel model)
    {
        int edges = 0, live = 0;
        for (int l = 0; l < model.Depth; l++)
        {
            for (int i = 0; i < model.NodeWidths[l]; i++)
            {
                for (int j = 0; j < model.SubnodeWidths[l + 1]; j++)
                {
                    edges++;
                    live += model.GetMask(l, i, j) != 0.0 ? 1 : 0;
                }
            }
        }

        return new ModelInfo
        {
            File = file,
            Widths = model.Widths.ToArray(),
            Grid = model.GridSize,
            Order = model.SplineOrder,
            Parameters = model.ParameterCount,
            BaseFunction = model.BaseFunction,
            GridRange = [model.Architecture.GridMin, model.Architecture.GridMax],
            Seed = model.Seed,
            Edges = edges,
            LiveEdges = live,
        };
    }
}
