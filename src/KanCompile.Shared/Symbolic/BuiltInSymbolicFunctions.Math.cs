using System.Runtime.CompilerServices;

namespace KanCompile.Symbolic;

/// <summary>
/// The catalog's numbers: f, f', the singularity-safe variant with its derivative, and f'', f''' of every built-in,
/// as static switches over <see cref="Ids"/> (no delegate call, no allocation). The kernels' dispatcher
/// (<c>SymbolicDispatch</c>) forwards here and the catalog rows take their f, f' and safe variant from here, so each
/// is written once. Powers are spelled as products (1/x^2 as 1/(x·x)), as the fit's vectorised forms
/// (<see cref="Power"/>) spell them.
/// Where the plain function has a singular point the higher derivatives are those of the formula (±∞ or NaN there);
/// pieces that are constant or linear have zero second and third derivatives.
/// </summary>
internal static partial class BuiltInSymbolicFunctions
{
    /// <summary>f(x) of built-in <paramref name="id"/>, as <see cref="SymbolicFunction.Evaluate"/>.</summary>
    internal static double Value(int id, double x) => id switch
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
    internal static double ValueAndDerivative(int id, double x, out double derivative)
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

    /// <summary>The singularity-safe f(x) and its derivative (functions without a safe variant are evaluated plainly).</summary>
    internal static double SafeValueAndDerivative(int id, double x, double y, out double derivative)
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

    /// <summary>f''(x) and f'''(x) of built-in <paramref name="id"/>; of its singularity-safe variant when <paramref name="yThreshold"/> &gt; 0.</summary>
    internal static void HigherDerivatives(int id, double x, double yThreshold, out double second, out double third)
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

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double ThrowUnknown(int id) =>
        throw new ArgumentOutOfRangeException(nameof(id), id, $"Unknown symbolic function id; built-ins are 0..{Ids.Count - 1}, user functions -1.");
}
