using KanCompile.Symbolic;

using KanCompile.Persistence;

namespace KanCompile;

internal static partial class KanModelFile
{
    /// <summary>Every edge with symbolic state (a function, a mask or a non-zero affine), or null when there is none.</summary>
    private static KanSymbolicEdgeDocument?[]? ToSymbolicDocuments(KanModel model)
    {
        var edges = new List<KanSymbolicEdgeDocument?>();
        for (int l = 0; l < model.Depth; l++)
        {
            for (int i = 0; i < model.NodeWidths[l]; i++)
            {
                for (int j = 0; j < model.SubnodeWidths[l + 1]; j++)
                {
                    var table = model.SymbolicTable;
                    int edge = model.Layout.EdgeOffset[l] + i * model.SubnodeWidths[l + 1] + j;
                    ReadOnlySpan<double> affine = table.Affine.AsSpan(edge * SymbolicEdgeTable.AffinePerEdge, SymbolicEdgeTable.AffinePerEdge);
                    if (table.Functions[edge] is null && table.Masks[edge] == 0.0 && affine.IndexOfAnyExcept(0.0) < 0)
                    {
                        continue;
                    }

                    if (affine.IndexOfAnyExceptInRange(double.MinValue, double.MaxValue) >= 0 || !double.IsFinite(table.Masks[edge]))
                    {
                        throw new KanModelFileException(null, $"cannot be saved: the symbolic edge ({l},{i},{j}) holds a non-finite affine parameter or mask.");
                    }

                    edges.Add(new KanSymbolicEdgeDocument
                    {
                        Layer = l,
                        Input = i,
                        Output = j,
                        Function = table.Functions[edge]?.Name,
                        Affine = affine.ToArray(),
                        Mask = table.Masks[edge],
                    });
                }
            }
        }

        return edges.Count == 0 ? null : edges.ToArray();
    }

    /// <summary>Replaces the model's symbolic state with the file's, resolving names in the model's library.</summary>
    private static void ApplySymbolic(KanModel model, KanSymbolicEdgeDocument?[]? documents, string? path)
    {
        // A file without symbolic edges leaves none behind.
        Span<double> cleared = stackalloc double[SymbolicEdgeTable.AffinePerEdge];
        for (int edge = 0; edge < model.Layout.EdgeCount; edge++)
        {
            model.RestoreSymbolicEdge(edge, null, cleared, 0.0);
        }

        if (documents is null)
        {
            return;
        }

        var seen = new HashSet<int>();
        for (int k = 0; k < documents.Length; k++)
        {
            string name = $"symbolic_edges[{k}]";
            KanSymbolicEdgeDocument document = documents[k] ?? throw new KanModelFileException(path, KanModelSchema.NullEntry(name));
            int layer = Index(document.Layer, $"{name}.layer", model.Depth, "layers", path);
            int input = Index(document.Input, $"{name}.input", model.NodeWidths[layer], $"input nodes in layer {layer}", path);
            int output = Index(document.Output, $"{name}.output", model.SubnodeWidths[layer + 1], $"output nodes in layer {layer}", path);
            if (KanModelSchema.SymbolicValuesProblem(name, document.Affine, document.Mask) is string problem)
            {
                throw new KanModelFileException(path, problem);
            }

            double[] affine = document.Affine!;
            double mask = document.Mask!.Value;

            SymbolicFunction? function = null;
            if (document.Function is string functionName && !model.SymbolicLibrary.TryGet(functionName, out function))
            {
                throw new KanModelFileException(path,
                    $"\"{name}.function\" is '{functionName}', which is not in the symbolic library. Register it with SymbolicLibrary.AddSymbolic " +
                    "and pass that library to KanModel.Load(path, symbolicLibrary) (or set the model's SymbolicLibrary before LoadParameters).");
            }

            int edge = model.Layout.EdgeOffset[layer] + input * model.SubnodeWidths[layer + 1] + output;
            if (!seen.Add(edge))
            {
                throw new KanModelFileException(path, KanModelSchema.RepeatedSymbolicEdge(name, layer, input, output));
            }

            model.RestoreSymbolicEdge(edge, function, affine, mask);
        }
    }

    private static int Index(int? value, string field, int count, string what, string? path)
    {
        if (KanModelSchema.SymbolicIndexProblem(field, value, count, what) is string problem)
        {
            throw new KanModelFileException(path, problem);
        }

        return value!.Value;
    }
}
