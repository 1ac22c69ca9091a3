using KanCompile.Symbolic;
using KanCompile.Symbolic.Expressions;

namespace KanCompile.Generators.Formulas;

/// <summary>
/// The simplified formula of a fully symbolic model (kan-math §2.13, without pykan's stale-edge bug): every edge
/// with a live symbolic mask becomes smask·(c·f(a·x + b) + d), composed layer by layer and simplified. Shared by
/// <c>KanModel.ExportCSharp</c> and the [KanFormula] generator, so both print the same formula.
/// </summary>
internal static class ModelFormulaBuilder
{
    /// <summary>One simplified expression per output over x1..xn.</summary>
    public static SymbolicExpression[] Compose(ExportModel model) =>
        ComposeUnsimplified(model).Select(expression => expression.Simplify()).ToArray();

    /// <summary>One expression per output over x1..xn as composed, for callers that round before simplifying
    /// (<c>KanModel.SymbolicFormula</c>).</summary>
    public static IReadOnlyList<SymbolicExpression> ComposeUnsimplified(ExportModel model)
    {
        var spec = model.Spec;
        var zero = SymbolicLibrary.Default.Get("0");
        var library = SymbolicLibrary.Create();
        var layers = new List<SymbolicLayer>();
        int edge = 0;
        for (int l = 0; l < spec.Depth; l++)
        {
            // Edges end at sub-nodes; a layer with multiplication nodes multiplies them (pykan's MultKAN).
            var layer = new SymbolicLayer(spec.Width(l), spec.SumWidth(l + 1), spec.MultiplicationWidth(l + 1), spec.MultiplicationArity);
            for (int i = 0; i < spec.Width(l); i++)
            {
                for (int j = 0; j < spec.SubnodeWidth(l + 1); j++, edge++)
                {
                    double mask = model.SymbolicMasks[edge];
                    if (mask == 0.0)
                    {
                        continue;
                    }

                    var function = model.Functions[edge] ?? zero;
                    if (!library.Contains(function.Name))
                    {
                        library = library.AddSymbolic(function);
                    }

                    int p = edge * ExportModel.AffinePerEdge;

                    // The mask scales ψ as a whole: fold it into c and d.
                    layer.SetEdge(i, j, function.Name, model.Affine[p], model.Affine[p + 1], mask * model.Affine[p + 2], mask * model.Affine[p + 3]);
                }
            }

            layers.Add(layer);
        }

        return SymbolicFormula.Compose(layers, library);
    }
}
