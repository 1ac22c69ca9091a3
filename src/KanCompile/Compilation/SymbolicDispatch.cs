using System.ComponentModel;
using System.Runtime.CompilerServices;
using KanCompile.Symbolic;
using Ids = KanCompile.Symbolic.BuiltInSymbolicFunctions.Ids;

namespace KanCompile.Compilation;

/// <summary>
/// The built-in symbolic library (kan-math §1.9, pykan's <c>SYMBOLIC_LIB</c> in pykan's order) for generated kernels:
/// f, f' and pykan's singularity-safe variants by function id (the catalog's switches, no delegate call), plus the
/// per-edge ψ = smask·(c·f(a·x + b) + d) and its backward step. Ids are the catalog's
/// (<c>BuiltInSymbolicFunctions.Ids</c>, positions in <see cref="SymbolicLibrary.Default"/>); <see cref="Custom"/>
/// marks a user function (called through its delegate).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class SymbolicDispatch
{
    /// <summary>The id of an edge whose function is a user function (<see cref="SymbolicEdgeSpans.CustomFunctions"/>).</summary>
    public const int Custom = -1;

    /// <summary>Number of built-in functions (ids 0 .. BuiltInCount − 1).</summary>
    public const int BuiltInCount = Ids.Count;

    /// <summary>The id of pykan's zero function '0' (also an edge that was never fixed).</summary>
    public const int Zero = Ids.Zero;

    private static readonly Dictionary<SymbolicFunction, int> BuiltInIds = CreateIds();

    /// <summary>The id of <paramref name="function"/>: its built-in id, <see cref="Zero"/> for null, else <see cref="Custom"/>.</summary>
    public static int IdOf(SymbolicFunction? function) =>
        function is null ? Zero : BuiltInIds.TryGetValue(function, out int id) ? id : Custom;

    /// <summary>f(x) of built-in <paramref name="id"/>, as <see cref="SymbolicFunction.Evaluate"/> (the catalog's switch).</summary>
    public static double Value(int id, double x) => BuiltInSymbolicFunctions.Value(id, x);

    /// <summary>f(x) and f'(x) of built-in <paramref name="id"/>.</summary>
    public static double ValueAndDerivative(int id, double x, out double derivative) =>
        BuiltInSymbolicFunctions.ValueAndDerivative(id, x, out derivative);

    /// <summary>pykan's singularity-safe f(x) with threshold <paramref name="yThreshold"/>, as <see cref="SymbolicFunction.EvaluateSafe"/>.</summary>
    public static double SafeValue(int id, double x, double yThreshold) =>
        BuiltInSymbolicFunctions.SafeValueAndDerivative(id, x, yThreshold, out _);

    /// <summary>The singularity-safe f(x) and its derivative (functions without a safe variant are evaluated plainly).</summary>
    public static double SafeValueAndDerivative(int id, double x, double y, out double derivative) =>
        BuiltInSymbolicFunctions.SafeValueAndDerivative(id, x, y, out derivative);

    /// <summary>ψ of edge <paramref name="edge"/> at input <paramref name="x"/>: smask·(c·f(a·x + b) + d); 0 when the mask is 0
    /// (a dormant f is never evaluated, so a singular f left on an unfixed edge cannot turn 0·∞ into NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Psi(in SymbolicEdgeSpans symbolic, int edge, double x)
    {
        double mask = symbolic.Masks[edge];
        if (mask == 0.0)
        {
            return 0.0;
        }

        ReadOnlySpan<double> affine = symbolic.Affine.Slice(edge * SymbolicEdgeSpans.AffinePerEdge, SymbolicEdgeSpans.AffinePerEdge);
        double u = affine[0] * x + affine[1];
        int id = symbolic.FunctionIds[edge];
        double f = id == Custom ? CustomValue(in symbolic, edge, u, out _, withDerivative: false)
            : symbolic.SingularityThreshold > 0.0 ? SafeValueAndDerivative(id, u, symbolic.SingularityThreshold, out _)
            : Value(id, u);
        return mask * (affine[2] * f + affine[3]);
    }

    /// <summary>
    /// The backward step of edge <paramref name="edge"/>'s ψ given dL/d(node it feeds) = <paramref name="upstream"/>:
    /// adds dL/d(a, b, c, d) into <paramref name="affineGradient"/> (unless empty) and returns dL/dx through ψ.
    /// </summary>
    public static double Backpropagate(in SymbolicEdgeSpans symbolic, int edge, double x, double upstream, Span<double> affineGradient)
    {
        double mask = symbolic.Masks[edge];
        if (mask == 0.0)
        {
            return 0.0;
        }

        int p = edge * SymbolicEdgeSpans.AffinePerEdge;
        ReadOnlySpan<double> affine = symbolic.Affine.Slice(p, SymbolicEdgeSpans.AffinePerEdge);
        double a = affine[0], c = affine[2];
        double u = a * x + affine[1];
        int id = symbolic.FunctionIds[edge];
        double slope;
        double f = id == Custom ? CustomValue(in symbolic, edge, u, out slope, withDerivative: true)
            : symbolic.SingularityThreshold > 0.0 ? SafeValueAndDerivative(id, u, symbolic.SingularityThreshold, out slope)
            : ValueAndDerivative(id, u, out slope);
        double dPsi = upstream * mask;
        if (!affineGradient.IsEmpty)
        {
            Span<double> gradient = affineGradient.Slice(p, SymbolicEdgeSpans.AffinePerEdge);
            gradient[0] += dPsi * c * slope * x;
            gradient[1] += dPsi * c * slope;
            gradient[2] += dPsi * f;
            gradient[3] += dPsi;
        }

        return dPsi * c * slope * a;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double CustomValue(in SymbolicEdgeSpans symbolic, int edge, double u, out double derivative, bool withDerivative)
    {
        if (symbolic.CustomFunctions.IsEmpty || symbolic.CustomFunctions[edge] is not SymbolicFunction function)
        {
            throw new ArgumentException($"Edge {edge} has a user symbolic function (id {Custom}) but the configuration carries no function for it.", nameof(symbolic));
        }

        double y = symbolic.SingularityThreshold;
        derivative = !withDerivative ? 0.0 : y > 0.0 ? function.DerivativeSafe(u, y) : function.Derivative(u);
        return y > 0.0 ? function.EvaluateSafe(u, y) : function.Evaluate(u);
    }

    private static Dictionary<SymbolicFunction, int> CreateIds()
    {
        var ids = new Dictionary<SymbolicFunction, int>(ReferenceEqualityComparer.Instance);
        IReadOnlyList<SymbolicFunction> all = BuiltInSymbolicFunctions.All;
        for (int id = 0; id < all.Count; id++)
        {
            ids.Add(all[id], id);
        }

        return ids;
    }
}
