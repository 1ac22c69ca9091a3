using System.ComponentModel;
using KanCompile.Symbolic;

namespace KanCompile.Compilation;

/// <summary>
/// The symbolic configuration a mixed kernel entry point reads at run time (pykan's <c>Symbolic_KANLayer</c>s,
/// flattened into the kernel's edge order: layer's edge offset + i·out + j): per edge the symbolic mask, the
/// function id (<see cref="SymbolicDispatch"/>) and the affine (a, b, c, d). Edges whose id is
/// <see cref="SymbolicDispatch.Custom"/> call their user function from <see cref="CustomFunctions"/> (a delegate call);
/// every built-in goes through the static dispatcher.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly ref struct SymbolicEdgeSpans
{
    /// <summary>Number of affine parameters per edge: a, b, c, d.</summary>
    public const int AffinePerEdge = 4;

    /// <summary>Creates the configuration.</summary>
    /// <param name="masks">Symbolic mask per edge (0 = no symbolic branch; ψ is then never evaluated).</param>
    /// <param name="functionIds">Function id per edge: a built-in id or <see cref="SymbolicDispatch.Custom"/>.</param>
    /// <param name="affine">(a, b, c, d) per edge.</param>
    /// <param name="customFunctions">Per edge, the function of edges whose id is <see cref="SymbolicDispatch.Custom"/>; may be empty when there are none.</param>
    /// <param name="singularityThreshold">pykan's y_th for its singularity-safe variants (<c>singularity_avoiding=True</c>);
    /// 0 (pykan's default, <c>singularity_avoiding=False</c>) evaluates the plain functions.</param>
    public SymbolicEdgeSpans(ReadOnlySpan<double> masks, ReadOnlySpan<int> functionIds, ReadOnlySpan<double> affine, ReadOnlySpan<SymbolicFunction?> customFunctions = default, double singularityThreshold = 0.0)
    {
        Masks = masks;
        FunctionIds = functionIds;
        Affine = affine;
        CustomFunctions = customFunctions;
        SingularityThreshold = singularityThreshold;
    }

    /// <summary>Symbolic mask per edge.</summary>
    public ReadOnlySpan<double> Masks { get; }

    /// <summary>Function id per edge.</summary>
    public ReadOnlySpan<int> FunctionIds { get; }

    /// <summary>(a, b, c, d) per edge.</summary>
    public ReadOnlySpan<double> Affine { get; }

    /// <summary>User functions of <see cref="SymbolicDispatch.Custom"/> edges, per edge (or empty).</summary>
    public ReadOnlySpan<SymbolicFunction?> CustomFunctions { get; }

    /// <summary>y_th of the singularity-safe variants; 0 for the plain functions.</summary>
    public double SingularityThreshold { get; }

    /// <summary>Throws when the spans do not describe <paramref name="edgeCount"/> edges.</summary>
    public void Validate(int edgeCount)
    {
        if (Masks.Length != edgeCount || FunctionIds.Length != edgeCount || Affine.Length != edgeCount * AffinePerEdge
            || (CustomFunctions.Length != 0 && CustomFunctions.Length != edgeCount))
        {
            throw new ArgumentException(
                $"The symbolic configuration must have {edgeCount} masks, {edgeCount} function ids, {edgeCount * AffinePerEdge} affine values and {edgeCount} or no custom functions; " +
                $"got {Masks.Length}, {FunctionIds.Length}, {Affine.Length} and {CustomFunctions.Length}.");
        }

        if (!(SingularityThreshold >= 0.0) || double.IsPositiveInfinity(SingularityThreshold))
        {
            throw new ArgumentException($"The singularity threshold y_th must be finite and > 0 (or 0 for the plain functions); got {SingularityThreshold}.");
        }
    }
}
