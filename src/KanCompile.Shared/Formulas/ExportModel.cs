using KanCompile.Generators.Model;
using KanCompile.Symbolic;

namespace KanCompile.Generators.Formulas;

/// <summary>
/// A trained model as the exporters see it, whoever reads it: <c>KanModel.ExportCSharp</c> (from the live model) or
/// the [KanFormula] generator (from a saved file). Spline state in kernel layout (<see cref="Emit.KernelLayout"/>),
/// plus the symbolic branch ψ = smask·(c·f(a·x + b) + d) of every edge in kernel edge order.
/// </summary>
internal sealed class ExportModel
{
    /// <summary>Affine parameters per edge: a, b, c, d.</summary>
    public const int AffinePerEdge = 4;

    public ExportModel(KernelSpec spec, double[] parameters, double[] knotTable, double[] masks, SymbolicFunction?[] functions, double[] affine, double[] symbolicMasks)
    {
        int edges = masks.Length;
        if (functions.Length != edges || symbolicMasks.Length != edges || affine.Length != edges * AffinePerEdge)
        {
            throw new ArgumentException("The symbolic state must describe every edge: " + edges + " functions and masks, " + edges * AffinePerEdge + " affine values.");
        }

        Spec = spec;
        Parameters = parameters;
        KnotTable = knotTable;
        Masks = masks;
        Functions = functions;
        Affine = affine;
        SymbolicMasks = symbolicMasks;
    }

    public KernelSpec Spec { get; }

    /// <summary>Spline parameters (coef, scale_base, scale_sp, layer after layer).</summary>
    public double[] Parameters { get; }

    /// <summary>The padded knot table the kernels read.</summary>
    public double[] KnotTable { get; }

    /// <summary>Numeric masks, edge order.</summary>
    public double[] Masks { get; }

    /// <summary>Each edge's symbolic function; null is pykan's initial zero function.</summary>
    public SymbolicFunction?[] Functions { get; }

    /// <summary>(a, b, c, d) per edge.</summary>
    public double[] Affine { get; }

    /// <summary>Symbolic masks, edge order.</summary>
    public double[] SymbolicMasks { get; }

    /// <summary>Some edge has a live symbolic branch (the model then runs its mixed kernel).</summary>
    public bool HasSymbolicEdges => SymbolicMasks.Any(mask => mask != 0.0);

    /// <summary>Symbolic edges and no live spline: the model is a closed-form formula.</summary>
    public bool IsFullySymbolic => HasSymbolicEdges && Masks.All(mask => mask == 0.0);
}
