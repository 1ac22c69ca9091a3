using System.ComponentModel;
using System.Runtime.CompilerServices;
using KanCompile.Symbolic;
using Ids = KanCompile.Symbolic.BuiltInSymbolicFunctions.Ids;

namespace KanCompile.Compilation;

/// <summary>
/// The built-in symbolic library (kan-math §1.9, pykan's <c>SYMBOLIC_LIB</c> in pykan's order) as one static,
/// non-virtual switch over function ids, with derivatives and pykan's singularity-safe variants, plus the per-edge
/// ψ = smask·(c·f(a·x + b) + d) and its backward step that generated kernels call. The cases are the catalog's ids
/// (<c>BuiltInSymbolicFunctions.Ids</c>, positions in <see cref="SymbolicLibrary.Default"/>), and each case computes the
/// catalog row's f, f' and safe variant with the operations spelled out (tests check every id against the row);
/// <see cref="Custom"/> marks a user function (called through its delegate).
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

    /// <summary>f(x) of built-in <paramref name="id"/>, as <see cref="SymbolicFunction.Evaluate"/>.</summary>
    public static double Value(int id, double x) => id switch
    {
        Ids.X => x,
        Ids.Square => x * x,
        Ids.Cube => x * x * x,
        Ids.FourthPower => x * x * x * x,
        Ids.FifthPower => x * x * x * x * x,
        Ids.Reciprocal => 1.0 / x,
        Ids.ReciprocalSquare => 1.0 / (x * x),
        Ids.ReciprocalCube => 1.0 / (x * x * x),
        Ids.ReciprocalFourth => 1.0 / (x * x * x * x),
        Ids.ReciprocalFifth => 1.0 / (x * x * x * x * x),
        Ids.Sqrt or Ids.HalfPower => Math.Sqrt(x),
        Ids.OneAndAHalfPower => Math.Sqrt(x) * Math.Sqrt(x) * Math.Sqrt(x),
        Ids.ReciprocalSqrt or Ids.ReciprocalHalfPower => 1.0 / Math.Sqrt(x),
        Ids.Exp => Math.Exp(x),
        Ids.Log => Math.Log(x),
        Ids.Abs => Math.Abs(x),
        Ids.Sin => Math.Sin(x),
        Ids.Cos => Math.Cos(x),
        Ids.Tan => Math.Tan(x),
        Ids.Tanh => Math.Tanh(x),
        Ids.Sgn => Sign(x),
        Ids.Arcsin => Math.Asin(x),
        Ids.Arccos => Math.Acos(x),
        Ids.Arctan => Math.Atan(x),
        Ids.Arctanh => Math.Atanh(x),
        Ids.Zero => 0.0,
        Ids.Gaussian => Math.Exp(-x * x),
        _ => ThrowUnknown(id),
    };

    /// <summary>f(x) and f'(x) of built-in <paramref name="id"/>.</summary>
    public static double ValueAndDerivative(int id, double x, out double derivative)
    {
        switch (id)
        {
            case Ids.X: derivative = 1.0; return x;
            case Ids.Square: derivative = 2.0 * x; return x * x;
            case Ids.Cube: derivative = 3.0 * (x * x); return x * x * x;
            case Ids.FourthPower: derivative = 4.0 * (x * x * x); return x * x * x * x;
            case Ids.FifthPower: derivative = 5.0 * (x * x * x * x); return x * x * x * x * x;
            case Ids.Reciprocal: derivative = -1.0 / (x * x); return 1.0 / x;
            case Ids.ReciprocalSquare: derivative = -2.0 / (x * x * x); return 1.0 / (x * x);
            case Ids.ReciprocalCube: derivative = -3.0 / (x * x * x * x); return 1.0 / (x * x * x);
            case Ids.ReciprocalFourth: derivative = -4.0 / (x * x * x * x * x); return 1.0 / (x * x * x * x);
            case Ids.ReciprocalFifth: derivative = -5.0 / (x * x * x * x * x * x); return 1.0 / (x * x * x * x * x);
            case Ids.Sqrt or Ids.HalfPower:
            {
                double root = Math.Sqrt(x);
                derivative = 0.5 / root;
                return root;
            }

            case Ids.OneAndAHalfPower:
            {
                double root = Math.Sqrt(x);
                derivative = 1.5 * root;
                return root * root * root;
            }

            case Ids.ReciprocalSqrt or Ids.ReciprocalHalfPower:
            {
                double root = Math.Sqrt(x);
                derivative = -0.5 / (x * root);
                return 1.0 / root;
            }

            case Ids.Exp:
            {
                double exp = Math.Exp(x);
                derivative = exp;
                return exp;
            }

            case Ids.Log: derivative = 1.0 / x; return Math.Log(x);
            case Ids.Abs: derivative = Sign(x); return Math.Abs(x);
            case Ids.Sin: derivative = Math.Cos(x); return Math.Sin(x);
            case Ids.Cos: derivative = -Math.Sin(x); return Math.Cos(x);
            case Ids.Tan:
            {
                double cos = Math.Cos(x);
                derivative = 1.0 / (cos * cos);
                return Math.Tan(x);
            }

            case Ids.Tanh:
            {
                double tanh = Math.Tanh(x);
                derivative = 1.0 - tanh * tanh;
                return tanh;
            }

            case Ids.Sgn: derivative = 0.0; return Sign(x);
            case Ids.Arcsin: derivative = 1.0 / Math.Sqrt(1.0 - x * x); return Math.Asin(x);
            case Ids.Arccos: derivative = -1.0 / Math.Sqrt(1.0 - x * x); return Math.Acos(x);
            case Ids.Arctan: derivative = 1.0 / (1.0 + x * x); return Math.Atan(x);
            case Ids.Arctanh: derivative = 1.0 / (1.0 - x * x); return Math.Atanh(x);
            case Ids.Zero: derivative = 0.0; return 0.0;
            case Ids.Gaussian:
            {
                double gaussian = Math.Exp(-x * x);
                derivative = -2.0 * x * gaussian;
                return gaussian;
            }

            default:
                derivative = 0.0;
                return ThrowUnknown(id);
        }
    }

    /// <summary>pykan's singularity-safe f(x) with threshold <paramref name="yThreshold"/>, as <see cref="SymbolicFunction.EvaluateSafe"/>.</summary>
    public static double SafeValue(int id, double x, double yThreshold) => SafeValueAndDerivative(id, x, yThreshold, out _);

    /// <summary>The singularity-safe f(x) and its derivative (functions without a safe variant are evaluated plainly).</summary>
    public static double SafeValueAndDerivative(int id, double x, double y, out double derivative)
    {
        double ax = Math.Abs(x);
        switch (id)
        {
            case Ids.Reciprocal:
                if (ax < 1.0 / y)
                {
                    derivative = y * y;
                    return y * y * x;
                }

                break;
            case Ids.ReciprocalSquare:
                if (ax < 1.0 / Math.Sqrt(y))
                {
                    derivative = 0.0;
                    return y;
                }

                break;
            case Ids.ReciprocalCube:
                if (ax < 1.0 / Math.Cbrt(y))
                {
                    derivative = y * Math.Cbrt(y);
                    return derivative * x;
                }

                break;
            case Ids.ReciprocalFourth:
                if (ax < 1.0 / Math.Pow(y, 0.25))
                {
                    derivative = 0.0;
                    return y;
                }

                break;
            case Ids.ReciprocalFifth:
                if (ax < 1.0 / Math.Pow(y, 0.2))
                {
                    derivative = y * Math.Pow(y, 0.2);
                    return derivative * x;
                }

                break;
            case Ids.Sqrt or Ids.HalfPower:
            {
                // Odd extension sign(x)·sqrt|x|, linear (x_th/y_th)·x below x_th = 1/y_th².
                double threshold = 1.0 / (y * y);
                if (ax < threshold)
                {
                    derivative = threshold / y;
                    return threshold / y * x;
                }

                double root = Math.Sqrt(ax);
                derivative = 0.5 / root;
                return root * Sign(x);
            }

            case Ids.OneAndAHalfPower:
                // The intended |x|^1.5 (pykan's safe x^1.5 has an indexing bug).
                derivative = 1.5 * Sign(x) * Math.Sqrt(ax);
                return Math.Pow(ax, 1.5);
            case Ids.ReciprocalSqrt or Ids.ReciprocalHalfPower:
            {
                if (ax < 1.0 / (y * y))
                {
                    derivative = 0.0;
                    return y;
                }

                double root = Math.Sqrt(ax);
                derivative = -0.5 * Sign(x) / (ax * root);
                return 1.0 / root;
            }

            case Ids.Exp:
                if (x > Math.Log(y))
                {
                    derivative = 0.0;
                    return y;
                }

                break;
            case Ids.Log:
                if (ax < Math.Exp(-y))
                {
                    derivative = 0.0;
                    return -y;
                }

                derivative = 1.0 / x;
                return Math.Log(ax);
            case Ids.Tan:
            {
                // Fold x into [0, π) (floor modulo), then a linear ramp within δ = π/2 − atan(y_th) of the pole.
                double clip = x % Math.PI;
                clip = clip < 0 ? clip + Math.PI : clip;
                double delta = Math.PI / 2 - Math.Atan(y);
                if (Math.Abs(clip - Math.PI / 2) < delta)
                {
                    derivative = -y / delta;
                    return -y / delta * (clip - Math.PI / 2);
                }

                double cos = Math.Cos(clip);
                derivative = 1.0 / (cos * cos);
                return Math.Tan(clip);
            }

            case Ids.Arcsin:
                if (ax > 1.0)
                {
                    derivative = 0.0;
                    return Math.PI / 2 * Sign(x);
                }

                break;
            case Ids.Arccos:
                if (ax > 1.0)
                {
                    derivative = 0.0;
                    return Math.PI / 2 * (1.0 - Sign(x));
                }

                break;
            case Ids.Arctanh:
                if (ax > Math.Tanh(y) - 1e-4)
                {
                    derivative = 0.0;
                    return y * Sign(x);
                }

                break;
        }

        return ValueAndDerivative(id, x, out derivative);
    }

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

    /// <summary>pykan's torch.sign: NaN stays NaN (Math.Sign would throw).</summary>
    private static double Sign(double x) => x > 0 ? 1.0 : x < 0 ? -1.0 : x;

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

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double ThrowUnknown(int id) =>
        throw new ArgumentOutOfRangeException(nameof(id), id, $"Unknown symbolic function id; built-ins are 0..{BuiltInCount - 1}, user functions {Custom}.");

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
