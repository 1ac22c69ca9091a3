using System.ComponentModel;
using System.Runtime.CompilerServices;
using KanCompile.Symbolic;

namespace KanCompile.Compilation;

/// <summary>
/// The built-in symbolic library (kan-math §1.9, pykan's <c>SYMBOLIC_LIB</c> in pykan's order) as one static,
/// non-virtual switch over function ids, with derivatives and pykan's singularity-safe variants, plus the per-edge
/// ψ = smask·(c·f(a·x + b) + d) and its backward step that generated kernels call. Ids are positions in
/// <see cref="SymbolicLibrary.Default"/>; <see cref="Custom"/> marks a user function (called through its delegate).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class SymbolicDispatch
{
    /// <summary>The id of an edge whose function is a user function (<see cref="SymbolicEdgeSpans.CustomFunctions"/>).</summary>
    public const int Custom = -1;

    /// <summary>Number of built-in functions (ids 0 .. BuiltInCount − 1).</summary>
    public const int BuiltInCount = 29;

    /// <summary>The id of pykan's zero function '0' (also an edge that was never fixed).</summary>
    public const int Zero = 27;

    /// <summary>Built-in names by id; must list <see cref="SymbolicLibrary.Default"/> in order (checked by tests).</summary>
    internal static readonly string[] Names =
    [
        "x", "x^2", "x^3", "x^4", "x^5", "1/x", "1/x^2", "1/x^3", "1/x^4", "1/x^5", "sqrt", "x^0.5", "x^1.5",
        "1/sqrt(x)", "1/x^0.5", "exp", "log", "abs", "sin", "cos", "tan", "tanh", "sgn", "arcsin", "arccos",
        "arctan", "arctanh", "0", "gaussian",
    ];

    private static readonly Dictionary<SymbolicFunction, int> BuiltInIds = CreateIds();

    /// <summary>The id of <paramref name="function"/>: its built-in id, <see cref="Zero"/> for null, else <see cref="Custom"/>.</summary>
    public static int IdOf(SymbolicFunction? function) =>
        function is null ? Zero : BuiltInIds.TryGetValue(function, out int id) ? id : Custom;

    /// <summary>f(x) of built-in <paramref name="id"/>, as <see cref="SymbolicFunction.Evaluate"/>.</summary>
    public static double Value(int id, double x) => id switch
    {
        0 => x,
        1 => x * x,
        2 => x * x * x,
        3 => x * x * x * x,
        4 => x * x * x * x * x,
        5 => 1.0 / x,
        6 => 1.0 / (x * x),
        7 => 1.0 / (x * x * x),
        8 => 1.0 / (x * x * x * x),
        9 => 1.0 / (x * x * x * x * x),
        10 or 11 => Math.Sqrt(x),
        12 => Math.Sqrt(x) * Math.Sqrt(x) * Math.Sqrt(x),
        13 or 14 => 1.0 / Math.Sqrt(x),
        15 => Math.Exp(x),
        16 => Math.Log(x),
        17 => Math.Abs(x),
        18 => Math.Sin(x),
        19 => Math.Cos(x),
        20 => Math.Tan(x),
        21 => Math.Tanh(x),
        22 => Sign(x),
        23 => Math.Asin(x),
        24 => Math.Acos(x),
        25 => Math.Atan(x),
        26 => Math.Atanh(x),
        27 => 0.0,
        28 => Math.Exp(-x * x),
        _ => ThrowUnknown(id),
    };

    /// <summary>f(x) and f'(x) of built-in <paramref name="id"/>.</summary>
    public static double ValueAndDerivative(int id, double x, out double derivative)
    {
        switch (id)
        {
            case 0: derivative = 1.0; return x;
            case 1: derivative = 2.0 * x; return x * x;
            case 2: derivative = 3.0 * (x * x); return x * x * x;
            case 3: derivative = 4.0 * (x * x * x); return x * x * x * x;
            case 4: derivative = 5.0 * (x * x * x * x); return x * x * x * x * x;
            case 5: derivative = -1.0 / (x * x); return 1.0 / x;
            case 6: derivative = -2.0 / (x * x * x); return 1.0 / (x * x);
            case 7: derivative = -3.0 / (x * x * x * x); return 1.0 / (x * x * x);
            case 8: derivative = -4.0 / (x * x * x * x * x); return 1.0 / (x * x * x * x);
            case 9: derivative = -5.0 / (x * x * x * x * x * x); return 1.0 / (x * x * x * x * x);
            case 10 or 11:
            {
                double root = Math.Sqrt(x);
                derivative = 0.5 / root;
                return root;
            }

            case 12:
            {
                double root = Math.Sqrt(x);
                derivative = 1.5 * root;
                return root * root * root;
            }

            case 13 or 14:
            {
                double root = Math.Sqrt(x);
                derivative = -0.5 / (x * root);
                return 1.0 / root;
            }

            case 15:
            {
                double exp = Math.Exp(x);
                derivative = exp;
                return exp;
            }

            case 16: derivative = 1.0 / x; return Math.Log(x);
            case 17: derivative = Sign(x); return Math.Abs(x);
            case 18: derivative = Math.Cos(x); return Math.Sin(x);
            case 19: derivative = -Math.Sin(x); return Math.Cos(x);
            case 20:
            {
                double cos = Math.Cos(x);
                derivative = 1.0 / (cos * cos);
                return Math.Tan(x);
            }

            case 21:
            {
                double tanh = Math.Tanh(x);
                derivative = 1.0 - tanh * tanh;
                return tanh;
            }

            case 22: derivative = 0.0; return Sign(x);
            case 23: derivative = 1.0 / Math.Sqrt(1.0 - x * x); return Math.Asin(x);
            case 24: derivative = -1.0 / Math.Sqrt(1.0 - x * x); return Math.Acos(x);
            case 25: derivative = 1.0 / (1.0 + x * x); return Math.Atan(x);
            case 26: derivative = 1.0 / (1.0 - x * x); return Math.Atanh(x);
            case 27: derivative = 0.0; return 0.0;
            case 28:
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
            case 5:
                if (ax < 1.0 / y)
                {
                    derivative = y * y;
                    return y * y * x;
                }

                break;
            case 6:
                if (ax < 1.0 / Math.Sqrt(y))
                {
                    derivative = 0.0;
                    return y;
                }

                break;
            case 7:
                if (ax < 1.0 / Math.Cbrt(y))
                {
                    derivative = y * Math.Cbrt(y);
                    return derivative * x;
                }

                break;
            case 8:
                if (ax < 1.0 / Math.Pow(y, 0.25))
                {
                    derivative = 0.0;
                    return y;
                }

                break;
            case 9:
                if (ax < 1.0 / Math.Pow(y, 0.2))
                {
                    derivative = y * Math.Pow(y, 0.2);
                    return derivative * x;
                }

                break;
            case 10 or 11:
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

            case 12:
                // The intended |x|^1.5 (pykan's safe x^1.5 has an indexing bug).
                derivative = 1.5 * Sign(x) * Math.Sqrt(ax);
                return Math.Pow(ax, 1.5);
            case 13 or 14:
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

            case 15:
                if (x > Math.Log(y))
                {
                    derivative = 0.0;
                    return y;
                }

                break;
            case 16:
                if (ax < Math.Exp(-y))
                {
                    derivative = 0.0;
                    return -y;
                }

                derivative = 1.0 / x;
                return Math.Log(ax);
            case 20:
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

            case 23:
                if (ax > 1.0)
                {
                    derivative = 0.0;
                    return Math.PI / 2 * Sign(x);
                }

                break;
            case 24:
                if (ax > 1.0)
                {
                    derivative = 0.0;
                    return Math.PI / 2 * (1.0 - Sign(x));
                }

                break;
            case 26:
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
            if (id >= Names.Length || all[id].Name != Names[id])
            {
                throw new InvalidOperationException($"The symbolic dispatcher's id {id} does not match the built-in library entry '{all[id].Name}'.");
            }

            ids.Add(all[id], id);
        }

        return ids;
    }
}
