using System.Runtime.CompilerServices;
using KanCompile.Symbolic;

namespace KanCompile.Compilation;

/// <summary>
/// The second and third derivatives of the built-in library, for input Hessians through symbolic edges
/// (ψ'' = smask·c·a²·f''(a·x + b)) and their adjoint (which needs f'''). One definition for the reference engine and
/// the generated kernels; tests check it against central differences of <see cref="SymbolicFunction.Derivative"/>.
/// Where the plain function has a singular point the derivatives are those of the formula (±∞ or NaN there, as f');
/// pieces that are constant or linear have zero second and third derivatives; functions that are piecewise constant
/// (sgn) or piecewise linear (abs) have zero second and third derivatives everywhere but at their kink.
/// </summary>
public static partial class SymbolicDispatch
{
    /// <summary>f''(x) and f'''(x) of built-in <paramref name="id"/>; of its singularity-safe variant when <paramref name="yThreshold"/> &gt; 0.</summary>
    public static void HigherDerivatives(int id, double x, double yThreshold, out double second, out double third) =>
        BuiltInSymbolicFunctions.HigherDerivatives(id, x, yThreshold, out second, out third);

    /// <summary>
    /// f''(u) and f'''(u) of edge <paramref name="edge"/>'s function: the built-in's from <see cref="HigherDerivatives"/>,
    /// a user function's from <see cref="SymbolicFunction.SecondDerivative"/> and <see cref="SymbolicFunction.ThirdDerivative"/>
    /// (f''' only when <paramref name="withThird"/>; a missing one throws, naming the function).
    /// </summary>
    public static void EdgeHigherDerivatives(in SymbolicEdgeSpans symbolic, int edge, double u, bool withThird, out double second, out double third)
    {
        int id = symbolic.FunctionIds[edge];
        if (id != Custom)
        {
            HigherDerivatives(id, u, symbolic.SingularityThreshold, out second, out third);
            return;
        }

        CustomHigherDerivatives(in symbolic, edge, u, withThird, out second, out third);
    }

    /// <summary>
    /// ψ of edge <paramref name="edge"/> at <paramref name="x"/> as <see cref="Psi"/> computes it, with ψ' = smask·c·a·f'(u) and,
    /// when <paramref name="withSecond"/>, ψ'' = smask·c·a²·f''(u) (else 0), u = a·x + b; for generated kernels' input
    /// derivatives. The caller has checked that the symbolic mask is not 0.
    /// </summary>
    public static double PsiDerivatives(in SymbolicEdgeSpans symbolic, int edge, double x, bool withSecond, out double first, out double second)
    {
        int p = edge * SymbolicEdgeSpans.AffinePerEdge;
        ReadOnlySpan<double> affine = symbolic.Affine.Slice(p, SymbolicEdgeSpans.AffinePerEdge);
        double a = affine[0], u = a * x + affine[1];
        double f = EdgeValueAndDerivative(in symbolic, edge, u, out double slope);
        double scale = symbolic.Masks[edge] * affine[2];
        first = scale * a * slope;
        second = 0.0;
        if (withSecond)
        {
            EdgeHigherDerivatives(in symbolic, edge, u, false, out double f2, out _);
            second = scale * a * a * f2;
        }

        return symbolic.Masks[edge] * (affine[2] * f + affine[3]);
    }

    /// <summary>
    /// The adjoint step of edge <paramref name="edge"/>'s ψ in a loss on input derivatives: with α₀, α₁, α₂ the weights of ψ,
    /// ψ' and ψ'' (see the reference engine), adds α₀·∂ψ/∂θ + α₁·∂ψ'/∂θ + α₂·∂ψ''/∂θ for θ = (a, b, c, d) into
    /// <paramref name="affineGradient"/> (unless empty) and returns ψ', ψ'', ψ''' for the source node's adjoint (ψ''' only
    /// when <paramref name="withThird"/>, else 0). The caller has checked that the symbolic mask is not 0.
    /// </summary>
    public static void BackpropagateDerivatives(in SymbolicEdgeSpans symbolic, int edge, double x, double alpha0, double alpha1, double alpha2, bool withThird, Span<double> affineGradient, out double first, out double second, out double third)
    {
        int p = edge * SymbolicEdgeSpans.AffinePerEdge;
        ReadOnlySpan<double> affine = symbolic.Affine.Slice(p, SymbolicEdgeSpans.AffinePerEdge);
        double a = affine[0], c = affine[2], sm = symbolic.Masks[edge], u = a * x + affine[1];
        double f = EdgeValueAndDerivative(in symbolic, edge, u, out double f1);
        EdgeHigherDerivatives(in symbolic, edge, u, withThird, out double f2, out double f3);
        first = sm * c * a * f1;
        second = sm * c * a * a * f2;
        third = sm * c * a * a * a * f3;
        if (affineGradient.IsEmpty)
        {
            return;
        }

        Span<double> gradient = affineGradient.Slice(p, SymbolicEdgeSpans.AffinePerEdge);
        gradient[0] += sm * c * (alpha0 * f1 * x + alpha1 * (f1 + a * x * f2) + alpha2 * (2.0 * a * f2 + a * a * x * f3));
        gradient[1] += sm * c * (alpha0 * f1 + alpha1 * a * f2 + alpha2 * a * a * f3);
        gradient[2] += sm * (alpha0 * f + alpha1 * a * f1 + alpha2 * a * a * f2);
        gradient[3] += sm * alpha0;
    }

    /// <summary>f(u) and f'(u) of the edge's function as the other entry points evaluate them (user, safe or plain).</summary>
    private static double EdgeValueAndDerivative(in SymbolicEdgeSpans symbolic, int edge, double u, out double derivative)
    {
        int id = symbolic.FunctionIds[edge];
        return id == Custom ? CustomValue(in symbolic, edge, u, out derivative, withDerivative: true)
            : symbolic.SingularityThreshold > 0.0 ? SafeValueAndDerivative(id, u, symbolic.SingularityThreshold, out derivative)
            : ValueAndDerivative(id, u, out derivative);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CustomHigherDerivatives(in SymbolicEdgeSpans symbolic, int edge, double u, bool withThird, out double second, out double third)
    {
        if (symbolic.CustomFunctions.IsEmpty || symbolic.CustomFunctions[edge] is not SymbolicFunction function)
        {
            throw new ArgumentException($"Edge {edge} has a user symbolic function (id {Custom}) but the configuration carries no function for it.", nameof(symbolic));
        }

        second = function.SecondDerivative is { } f2 ? f2(u)
            : throw new NotSupportedException(
                $"Edge {edge}'s user symbolic function '{function.Name}' has no SecondDerivative, which second input derivatives (and the gradient of a loss on first ones) need through it; set SymbolicFunction.SecondDerivative (and ThirdDerivative to train on second derivatives).");
        third = !withThird ? 0.0
            : function.ThirdDerivative is { } f3 ? f3(u)
            : throw new NotSupportedException(
                $"The gradient of a loss on second input derivatives passes through edge {edge}, whose user symbolic function '{function.Name}' has no ThirdDerivative; set SymbolicFunction.ThirdDerivative.");
    }
}
