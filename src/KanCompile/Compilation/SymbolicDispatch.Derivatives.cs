using System.Runtime.CompilerServices;
using KanCompile.Symbolic;
using Ids = KanCompile.Symbolic.BuiltInSymbolicFunctions.Ids;

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
    public static void HigherDerivatives(int id, double x, double yThreshold, out double second, out double third)
    {
        if (yThreshold > 0.0 && SafeHigherDerivatives(id, x, yThreshold, out second, out third))
        {
            return;
        }

        switch (id)
        {
            case Ids.X or Ids.Abs or Ids.Sgn or Ids.Zero: second = 0.0; third = 0.0; return;
            case Ids.Square: second = 2.0; third = 0.0; return;
            case Ids.Cube: second = 6.0 * x; third = 6.0; return;
            case Ids.FourthPower: second = 12.0 * (x * x); third = 24.0 * x; return;
            case Ids.FifthPower: second = 20.0 * (x * x * x); third = 60.0 * (x * x); return;
            case Ids.Reciprocal or Ids.ReciprocalSquare or Ids.ReciprocalCube or Ids.ReciprocalFourth or Ids.ReciprocalFifth:
            {
                // x^−n: f'' = n(n+1)·x^−(n+2), f''' = −n(n+1)(n+2)·x^−(n+3).
                int n = id - Ids.Reciprocal + 1;
                double inverse = 1.0 / x, power = 1.0;
                for (int q = 0; q < n + 2; q++)
                {
                    power *= inverse;
                }

                second = n * (n + 1) * power;
                third = -(n + 2) * second * inverse;
                return;
            }

            case Ids.Sqrt or Ids.HalfPower:
            {
                double root = Math.Sqrt(x);
                second = -0.25 / (x * root);
                third = 0.375 / (x * x * root);
                return;
            }

            case Ids.OneAndAHalfPower:
            {
                double root = Math.Sqrt(x);
                second = 0.75 / root;
                third = -0.375 / (x * root);
                return;
            }

            case Ids.ReciprocalSqrt or Ids.ReciprocalHalfPower:
            {
                double root = Math.Sqrt(x);
                second = 0.75 / (x * x * root);
                third = -1.875 / (x * x * x * root);
                return;
            }

            case Ids.Exp: second = Math.Exp(x); third = second; return;
            case Ids.Log: second = -1.0 / (x * x); third = 2.0 / (x * x * x); return;
            case Ids.Sin: second = -Math.Sin(x); third = -Math.Cos(x); return;
            case Ids.Cos: second = -Math.Cos(x); third = Math.Sin(x); return;
            case Ids.Tan: TanHigherDerivatives(Math.Tan(x), out second, out third); return;
            case Ids.Tanh:
            {
                double tanh = Math.Tanh(x), slope = 1.0 - tanh * tanh;
                second = -2.0 * tanh * slope;
                third = -2.0 * slope * (1.0 - 3.0 * tanh * tanh);
                return;
            }

            case Ids.Arcsin or Ids.Arccos:
            {
                // asin: f'' = x·(1 − x²)^−3/2, f''' = (1 + 2x²)·(1 − x²)^−5/2; acos is −asin + π/2.
                double rest = 1.0 - x * x, root = Math.Sqrt(rest);
                double sign = id == Ids.Arcsin ? 1.0 : -1.0;
                second = sign * x / (rest * root);
                third = sign * (1.0 + 2.0 * x * x) / (rest * rest * root);
                return;
            }

            case Ids.Arctan:
            {
                double rest = 1.0 + x * x;
                second = -2.0 * x / (rest * rest);
                third = (6.0 * x * x - 2.0) / (rest * rest * rest);
                return;
            }

            case Ids.Arctanh:
            {
                double rest = 1.0 - x * x;
                second = 2.0 * x / (rest * rest);
                third = (2.0 + 6.0 * x * x) / (rest * rest * rest);
                return;
            }

            case Ids.Gaussian:
            {
                double gaussian = Math.Exp(-x * x);
                second = (4.0 * x * x - 2.0) * gaussian;
                third = (12.0 * x - 8.0 * x * x * x) * gaussian;
                return;
            }

            default:
                second = third = ThrowUnknown(id);
                return;
        }
    }

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

    /// <summary>The safe variants' pieces that differ from the plain function; false where the plain formulas apply.</summary>
    private static bool SafeHigherDerivatives(int id, double x, double y, out double second, out double third)
    {
        second = 0.0;
        third = 0.0;
        double ax = Math.Abs(x);
        switch (id)
        {
            case Ids.Reciprocal: return ax < 1.0 / y;
            case Ids.ReciprocalSquare: return ax < 1.0 / Math.Sqrt(y);
            case Ids.ReciprocalCube: return ax < 1.0 / Math.Cbrt(y);
            case Ids.ReciprocalFourth: return ax < 1.0 / Math.Pow(y, 0.25);
            case Ids.ReciprocalFifth: return ax < 1.0 / Math.Pow(y, 0.2);
            case Ids.Sqrt or Ids.HalfPower:
            {
                // Odd extension sign(x)·sqrt|x|, linear below x_th = 1/y_th².
                if (ax < 1.0 / (y * y))
                {
                    return true;
                }

                double root = Math.Sqrt(ax);
                second = -0.25 * Sign(x) / (ax * root);
                third = 0.375 / (ax * ax * root);
                return true;
            }

            case Ids.OneAndAHalfPower:
            {
                // |x|^1.5.
                double root = Math.Sqrt(ax);
                second = 0.75 / root;
                third = -0.375 * Sign(x) / (ax * root);
                return true;
            }

            case Ids.ReciprocalSqrt or Ids.ReciprocalHalfPower:
            {
                if (ax < 1.0 / (y * y))
                {
                    return true;
                }

                double root = Math.Sqrt(ax);
                second = 0.75 / (ax * ax * root);
                third = -1.875 * Sign(x) / (ax * ax * ax * root);
                return true;
            }

            case Ids.Exp: return x > Math.Log(y);
            case Ids.Log:
                // log|x|: the plain formulas (−1/x², 2/x³) hold on both sides.
                return ax < Math.Exp(-y);
            case Ids.Tan:
            {
                double clip = x % Math.PI;
                clip = clip < 0 ? clip + Math.PI : clip;
                double delta = Math.PI / 2 - Math.Atan(y);
                if (Math.Abs(clip - Math.PI / 2) >= delta)
                {
                    TanHigherDerivatives(Math.Tan(clip), out second, out third);
                }

                return true;
            }

            case Ids.Arcsin or Ids.Arccos: return ax > 1.0;
            case Ids.Arctanh: return ax > Math.Tanh(y) - 1e-4;
            default: return false;
        }
    }

    /// <summary>tan'' = 2t(1 + t²) and tan''' = 2(1 + t²)(1 + 3t²) with t = tan(x).</summary>
    private static void TanHigherDerivatives(double tan, out double second, out double third)
    {
        double secant = 1.0 + tan * tan;
        second = 2.0 * tan * secant;
        third = 2.0 * secant * (1.0 + 3.0 * tan * tan);
    }
}
