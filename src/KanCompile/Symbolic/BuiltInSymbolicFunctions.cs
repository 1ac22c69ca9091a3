using KanCompile.Symbolic.Expressions;

namespace KanCompile.Symbolic;

/// <summary>
/// pykan's <c>SYMBOLIC_LIB</c> (kan-math §1.9) with derivatives, singularity-safe variants and printers.
/// Power-like entries apply as <see cref="PowerExpression"/> so the simplifier and printers see x^n, not a call.
/// Shared with the [KanFormula] generator (netstandard2.0), which builds formulas from saved models with these
/// entries; the vectorised forms the fit uses live in the runtime-only BuiltInSymbolicFunctions.Spans.cs.
/// </summary>
internal static partial class BuiltInSymbolicFunctions
{
    public static IReadOnlyList<SymbolicFunction> All { get; } = Create();

    /// <summary>pykan's torch.sign: NaN stays NaN (Math.Sign would throw).</summary>
    public static double Sign(double x) => x > 0 ? 1.0 : x < 0 ? -1.0 : x;

    private static SymbolicFunction[] Create()
    {
        SymbolicFunction exp = Call("exp", Math.Exp, Math.Exp, 2, "exp({x})", "Math.Exp({x})", @"e^{{x}}",
            (x, y) => x > Math.Log(y) ? y : Math.Exp(x),
            (x, y) => x > Math.Log(y) ? 0.0 : Math.Exp(x));

        var entries = new List<SymbolicFunction>
        {
            PowerEntry("x", 1, 1),
            PowerEntry("x^2", 2, 2),
            PowerEntry("x^3", 3, 3),
            PowerEntry("x^4", 4, 3),
            PowerEntry("x^5", 5, 3),
            PowerEntry("1/x", -1, 2,
                (x, y) => Math.Abs(x) < 1.0 / y ? y * y * x : 1.0 / x,
                (x, y) => Math.Abs(x) < 1.0 / y ? y * y : -1.0 / (x * x)),
            PowerEntry("1/x^2", -2, 2,
                (x, y) => Math.Abs(x) < 1.0 / Math.Sqrt(y) ? y : 1.0 / (x * x),
                (x, y) => Math.Abs(x) < 1.0 / Math.Sqrt(y) ? 0.0 : -2.0 / (x * x * x)),
            PowerEntry("1/x^3", -3, 3,
                (x, y) => Math.Abs(x) < 1.0 / Math.Cbrt(y) ? y * Math.Cbrt(y) * x : 1.0 / (x * x * x),
                (x, y) => Math.Abs(x) < 1.0 / Math.Cbrt(y) ? y * Math.Cbrt(y) : -3.0 / (x * x * x * x)),
            PowerEntry("1/x^4", -4, 4,
                (x, y) => Math.Abs(x) < 1.0 / Math.Pow(y, 0.25) ? y : 1.0 / (x * x * x * x),
                (x, y) => Math.Abs(x) < 1.0 / Math.Pow(y, 0.25) ? 0.0 : -4.0 / (x * x * x * x * x)),
            PowerEntry("1/x^5", -5, 5,
                (x, y) => Math.Abs(x) < 1.0 / Math.Pow(y, 0.2) ? y * Math.Pow(y, 0.2) * x : 1.0 / (x * x * x * x * x),
                (x, y) => Math.Abs(x) < 1.0 / Math.Pow(y, 0.2) ? y * Math.Pow(y, 0.2) : -5.0 / (x * x * x * x * x * x)),
            PowerEntry("sqrt", 0.5, 2, SafeSqrt, SafeSqrtDerivative),
            PowerEntry("x^0.5", 0.5, 2, SafeSqrt, SafeSqrtDerivative),
            // pykan's safe x^1.5 returns a bare tensor that its caller indexes with [1] (a bug); we use the intended |x|^1.5.
            PowerEntry("x^1.5", 1.5, 4,
                (x, _) => Math.Pow(Math.Abs(x), 1.5),
                (x, _) => 1.5 * Sign(x) * Math.Sqrt(Math.Abs(x))),
            PowerEntry("1/sqrt(x)", -0.5, 2, SafeInverseSqrt, SafeInverseSqrtDerivative),
            PowerEntry("1/x^0.5", -0.5, 2, SafeInverseSqrt, SafeInverseSqrtDerivative),
            exp,
            Call("log", Math.Log, x => 1.0 / x, 2, "log({x})", "Math.Log({x})", @"\log\left({x}\right)",
                (x, y) => Math.Abs(x) < Math.Exp(-y) ? -y : Math.Log(Math.Abs(x)),
                (x, y) => Math.Abs(x) < Math.Exp(-y) ? 0.0 : 1.0 / x),
            Call("abs", Math.Abs, Sign, 3, "abs({x})", "Math.Abs({x})", @"\left|{x}\right|"),
            Call("sin", Math.Sin, Math.Cos, 2, "sin({x})", "Math.Sin({x})", @"\sin\left({x}\right)"),
            Call("cos", Math.Cos, x => -Math.Sin(x), 2, "cos({x})", "Math.Cos({x})", @"\cos\left({x}\right)"),
            Call("tan", Math.Tan, x => 1.0 / (Math.Cos(x) * Math.Cos(x)), 3, "tan({x})", "Math.Tan({x})", @"\tan\left({x}\right)",
                SafeTan, SafeTanDerivative),
            Call("tanh", Math.Tanh, x => 1.0 - Math.Tanh(x) * Math.Tanh(x), 3, "tanh({x})", "Math.Tanh({x})", @"\tanh\left({x}\right)"),
            Call("sgn", Sign, _ => 0.0, 3, "sgn({x})", "Sgn({x})", @"\operatorname{sgn}\left({x}\right)"),
            Call("arcsin", Math.Asin, x => 1.0 / Math.Sqrt(1.0 - x * x), 4, "asin({x})", "Math.Asin({x})", @"\operatorname{asin}\left({x}\right)",
                (x, _) => Math.Abs(x) > 1.0 ? Math.PI / 2 * Sign(x) : Math.Asin(x),
                (x, _) => Math.Abs(x) > 1.0 ? 0.0 : 1.0 / Math.Sqrt(1.0 - x * x)),
            Call("arccos", Math.Acos, x => -1.0 / Math.Sqrt(1.0 - x * x), 4, "acos({x})", "Math.Acos({x})", @"\operatorname{acos}\left({x}\right)",
                (x, _) => Math.Abs(x) > 1.0 ? Math.PI / 2 * (1.0 - Sign(x)) : Math.Acos(x),
                (x, _) => Math.Abs(x) > 1.0 ? 0.0 : -1.0 / Math.Sqrt(1.0 - x * x)),
            Call("arctan", Math.Atan, x => 1.0 / (1.0 + x * x), 4, "atan({x})", "Math.Atan({x})", @"\operatorname{atan}\left({x}\right)"),
            Call("arctanh", Math.Atanh, x => 1.0 / (1.0 - x * x), 4, "atanh({x})", "Math.Atanh({x})", @"\operatorname{atanh}\left({x}\right)",
                (x, y) => Math.Abs(x) > Math.Tanh(y) - 1e-4 ? y * Sign(x) : Math.Atanh(x),
                (x, y) => Math.Abs(x) > Math.Tanh(y) - 1e-4 ? 0.0 : 1.0 / (1.0 - x * x)),
            Entry("0", _ => 0.0, _ => 0.0, 0, "0*({x})", "0.0 * ({x})", @"0 \cdot {x}", null, null,
                _ => SymbolicExpression.Zero),
            Entry("gaussian", x => Math.Exp(-x * x), x => -2.0 * x * Math.Exp(-x * x), 3,
                "exp(-({x})^2)", "Math.Exp(-({x}) * ({x}))", @"e^{-\left({x}\right)^{2}}", null, null,
                argument => SymbolicExpression.Call(exp, SymbolicExpression.Multiply(
                    SymbolicExpression.Constant(-1.0), SymbolicExpression.Power(argument, 2.0)))),
        };
        return entries.ToArray();
    }

    // pykan's f_sqrt: odd extension sign(x)·sqrt|x|, linear (x_th/y_th)·x below x_th = 1/y_th².
    private static double SafeSqrt(double x, double y)
    {
        double xTh = 1.0 / (y * y);
        return Math.Abs(x) < xTh ? xTh / y * x : Math.Sqrt(Math.Abs(x)) * Sign(x);
    }

    private static double SafeSqrtDerivative(double x, double y)
    {
        double xTh = 1.0 / (y * y);
        return Math.Abs(x) < xTh ? xTh / y : 0.5 / Math.Sqrt(Math.Abs(x));
    }

    private static double SafeInverseSqrt(double x, double y) =>
        Math.Abs(x) < 1.0 / (y * y) ? y : 1.0 / Math.Sqrt(Math.Abs(x));

    private static double SafeInverseSqrtDerivative(double x, double y) =>
        Math.Abs(x) < 1.0 / (y * y) ? 0.0 : -0.5 * Sign(x) / (Math.Abs(x) * Math.Sqrt(Math.Abs(x)));

    // pykan's f_tan: fold x into [0, π) (floor modulo), then a linear ramp within δ = π/2 − atan(y_th) of the pole.
    private static double SafeTan(double x, double y)
    {
        double clip = FloorMod(x, Math.PI);
        double delta = Math.PI / 2 - Math.Atan(y);
        return Math.Abs(clip - Math.PI / 2) < delta ? -y / delta * (clip - Math.PI / 2) : Math.Tan(clip);
    }

    private static double SafeTanDerivative(double x, double y)
    {
        double clip = FloorMod(x, Math.PI);
        double delta = Math.PI / 2 - Math.Atan(y);
        return Math.Abs(clip - Math.PI / 2) < delta ? -y / delta : 1.0 / (Math.Cos(clip) * Math.Cos(clip));
    }

    private static double FloorMod(double x, double m)
    {
        double r = x % m;
        return r < 0 ? r + m : r;
    }

    // pykan's torch forms: x**n as repeated products, x^1.5 as sqrt(x)**3, reciprocals as 1/x**n.
    internal static double Power(double x, double exponent) => exponent switch
    {
        1 => x,
        2 => x * x,
        3 => x * x * x,
        4 => x * x * x * x,
        5 => x * x * x * x * x,
        1.5 => Math.Sqrt(x) * Math.Sqrt(x) * Math.Sqrt(x),
        _ => PowerExpression.Raise(x, exponent),
    };

    private static SymbolicFunction PowerEntry(
        string name, double exponent, int complexity,
        Func<double, double, double>? safe = null, Func<double, double, double>? safeDerivative = null)
    {
        Func<double, double> function = x => Power(x, exponent);
        Func<double, double> derivative = exponent == 1 ? _ => 1.0 : x => exponent * Math.Pow(x, exponent - 1.0);
        string text = exponent switch
        {
            1 => "{x}",
            0.5 => "sqrt({x})",
            -0.5 => "1/sqrt({x})",
            < 0 => FormattableString.Invariant($"1/({{x}})^{-exponent}"),
            _ => FormattableString.Invariant($"({{x}})^{exponent}"),
        };
        string csharp = exponent == 1 ? "({x})" : FormattableString.Invariant($"Math.Pow({{x}}, {exponent:0.0#})");
        string latex = exponent switch
        {
            1 => "{x}",
            0.5 => @"\sqrt{{x}}",
            -0.5 => @"\frac{1}{\sqrt{{x}}}",
            < 0 => FormattableString.Invariant($@"\frac{{1}}{{\left({{x}}\right)^{{{-exponent}}}}}"),
            _ => FormattableString.Invariant($@"\left({{x}}\right)^{{{exponent}}}"),
        };
        return Entry(name, function, derivative, complexity, text, csharp, latex, safe, safeDerivative,
            exponent == 1 ? argument => argument : argument => SymbolicExpression.Power(argument, exponent));
    }

    private static SymbolicFunction Call(
        string name, Func<double, double> function, Func<double, double> derivative, int complexity,
        string text, string csharp, string latex,
        Func<double, double, double>? safe = null, Func<double, double, double>? safeDerivative = null) =>
        Entry(name, function, derivative, complexity, text, csharp, latex, safe, safeDerivative, apply: null);

    private static SymbolicFunction Entry(
        string name, Func<double, double> function, Func<double, double> derivative, int complexity,
        string text, string csharp, string latex,
        Func<double, double, double>? safe, Func<double, double, double>? safeDerivative,
        Func<SymbolicExpression, SymbolicExpression>? apply) =>
        new SymbolicFunction(name, function, derivative, complexity, text, csharp, latex, safe, safeDerivative, apply);
}
