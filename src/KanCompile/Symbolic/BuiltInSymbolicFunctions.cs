using KanCompile.Symbolic.Expressions;

namespace KanCompile.Symbolic;

/// <summary>
/// The one catalog of the built-in symbolic functions: pykan's <c>SYMBOLIC_LIB</c> (kan-math §1.9) in pykan's order,
/// one row per function with its id, parity, value, derivative, singularity-safe variant and printers (text, C#,
/// LaTeX). Power-like entries apply as <see cref="PowerExpression"/> so the simplifier and printers see x^n, not a call.
/// Everything else keys off these rows: the kernels' allocation-free switch (<c>SymbolicDispatch</c>) uses the
/// <see cref="Ids"/> below as its cases and is checked against the rows for every id; the fit's vectorised forms
/// (BuiltInSymbolicFunctions.Spans.cs, runtime only) are looked up by id; the simplifier takes parity from here.
/// Shared with the [KanFormula] generator (netstandard2.0), which builds formulas from saved models with these rows.
/// </summary>
internal static partial class BuiltInSymbolicFunctions
{
    private static readonly (SymbolicFunction[] Functions, SymbolicParity[] Parities) s_catalog = Create();

    /// <summary>The built-in functions, indexed by their <see cref="Ids"/>.</summary>
    public static IReadOnlyList<SymbolicFunction> All => s_catalog.Functions;

    /// <summary>The id of each built-in function: its position in <see cref="All"/> (and in pykan's library).</summary>
    internal static class Ids
    {
        public const int X = 0, Square = 1, Cube = 2, FourthPower = 3, FifthPower = 4;
        public const int Reciprocal = 5, ReciprocalSquare = 6, ReciprocalCube = 7, ReciprocalFourth = 8, ReciprocalFifth = 9;
        public const int Sqrt = 10, HalfPower = 11, OneAndAHalfPower = 12, ReciprocalSqrt = 13, ReciprocalHalfPower = 14;
        public const int Exp = 15, Log = 16, Abs = 17, Sin = 18, Cos = 19, Tan = 20, Tanh = 21, Sgn = 22;
        public const int Arcsin = 23, Arccos = 24, Arctan = 25, Arctanh = 26, Zero = 27, Gaussian = 28;

        /// <summary>Number of built-in functions (ids 0 .. Count − 1).</summary>
        public const int Count = 29;
    }

    /// <summary>Whether f(−u) = −f(u) (odd) or f(−u) = f(u) (even), which the simplifier uses to pull signs out.</summary>
    internal enum SymbolicParity
    {
        None,
        Odd,
        Even,
    }

    /// <summary>The parity of the built-in function named <paramref name="name"/> (None for other names).</summary>
    public static SymbolicParity ParityOf(string name)
    {
        for (int id = 0; id < Ids.Count; id++)
        {
            if (string.Equals(All[id].Name, name, StringComparison.Ordinal))
            {
                return s_catalog.Parities[id];
            }
        }

        return SymbolicParity.None;
    }

    /// <summary>pykan's torch.sign: NaN stays NaN (Math.Sign would throw).</summary>
    public static double Sign(double x) => x > 0 ? 1.0 : x < 0 ? -1.0 : x;

    private static (SymbolicFunction[] Functions, SymbolicParity[] Parities) Create()
    {
        var rows = new List<(SymbolicFunction Function, SymbolicParity Parity)>(Ids.Count);

        // Each row names its id, so a row out of place fails here, at its definition, not in a list kept elsewhere.
        void Row(int id, SymbolicParity parity, SymbolicFunction function)
        {
            if (id != rows.Count)
            {
                throw new InvalidOperationException($"The built-in symbolic function '{function.Name}' is listed at position {rows.Count} but has id {id}.");
            }

            rows.Add((function, parity));
        }

        const SymbolicParity Odd = SymbolicParity.Odd, Even = SymbolicParity.Even, None = SymbolicParity.None;
        SymbolicFunction exp = Call("exp", Math.Exp, Math.Exp, 2, "exp({x})", "Math.Exp({x})", @"e^{{x}}",
            (x, y) => x > Math.Log(y) ? y : Math.Exp(x),
            (x, y) => x > Math.Log(y) ? 0.0 : Math.Exp(x));

        Row(Ids.X, Odd, PowerEntry("x", 1, 1));
        Row(Ids.Square, Even, PowerEntry("x^2", 2, 2));
        Row(Ids.Cube, Odd, PowerEntry("x^3", 3, 3));
        Row(Ids.FourthPower, Even, PowerEntry("x^4", 4, 3));
        Row(Ids.FifthPower, Odd, PowerEntry("x^5", 5, 3));
        Row(Ids.Reciprocal, Odd, PowerEntry("1/x", -1, 2,
            (x, y) => Math.Abs(x) < 1.0 / y ? y * y * x : 1.0 / x,
            (x, y) => Math.Abs(x) < 1.0 / y ? y * y : -1.0 / (x * x)));
        Row(Ids.ReciprocalSquare, Even, PowerEntry("1/x^2", -2, 2,
            (x, y) => Math.Abs(x) < 1.0 / Math.Sqrt(y) ? y : 1.0 / (x * x),
            (x, y) => Math.Abs(x) < 1.0 / Math.Sqrt(y) ? 0.0 : -2.0 / (x * x * x)));
        Row(Ids.ReciprocalCube, Odd, PowerEntry("1/x^3", -3, 3,
            (x, y) => Math.Abs(x) < 1.0 / Math.Cbrt(y) ? y * Math.Cbrt(y) * x : 1.0 / (x * x * x),
            (x, y) => Math.Abs(x) < 1.0 / Math.Cbrt(y) ? y * Math.Cbrt(y) : -3.0 / (x * x * x * x)));
        Row(Ids.ReciprocalFourth, Even, PowerEntry("1/x^4", -4, 4,
            (x, y) => Math.Abs(x) < 1.0 / Math.Pow(y, 0.25) ? y : 1.0 / (x * x * x * x),
            (x, y) => Math.Abs(x) < 1.0 / Math.Pow(y, 0.25) ? 0.0 : -4.0 / (x * x * x * x * x)));
        Row(Ids.ReciprocalFifth, Odd, PowerEntry("1/x^5", -5, 5,
            (x, y) => Math.Abs(x) < 1.0 / Math.Pow(y, 0.2) ? y * Math.Pow(y, 0.2) * x : 1.0 / (x * x * x * x * x),
            (x, y) => Math.Abs(x) < 1.0 / Math.Pow(y, 0.2) ? y * Math.Pow(y, 0.2) : -5.0 / (x * x * x * x * x * x)));
        Row(Ids.Sqrt, None, PowerEntry("sqrt", 0.5, 2, SafeSqrt, SafeSqrtDerivative));
        Row(Ids.HalfPower, None, PowerEntry("x^0.5", 0.5, 2, SafeSqrt, SafeSqrtDerivative));
        // pykan's safe x^1.5 returns a bare tensor that its caller indexes with [1] (a bug); we use the intended |x|^1.5.
        Row(Ids.OneAndAHalfPower, None, PowerEntry("x^1.5", 1.5, 4,
            (x, _) => Math.Pow(Math.Abs(x), 1.5),
            (x, _) => 1.5 * Sign(x) * Math.Sqrt(Math.Abs(x))));
        Row(Ids.ReciprocalSqrt, None, PowerEntry("1/sqrt(x)", -0.5, 2, SafeInverseSqrt, SafeInverseSqrtDerivative));
        Row(Ids.ReciprocalHalfPower, None, PowerEntry("1/x^0.5", -0.5, 2, SafeInverseSqrt, SafeInverseSqrtDerivative));
        Row(Ids.Exp, None, exp);
        Row(Ids.Log, None, Call("log", Math.Log, x => 1.0 / x, 2, "log({x})", "Math.Log({x})", @"\log\left({x}\right)",
            (x, y) => Math.Abs(x) < Math.Exp(-y) ? -y : Math.Log(Math.Abs(x)),
            (x, y) => Math.Abs(x) < Math.Exp(-y) ? 0.0 : 1.0 / x));
        Row(Ids.Abs, Even, Call("abs", Math.Abs, Sign, 3, "abs({x})", "Math.Abs({x})", @"\left|{x}\right|"));
        Row(Ids.Sin, Odd, Call("sin", Math.Sin, Math.Cos, 2, "sin({x})", "Math.Sin({x})", @"\sin\left({x}\right)"));
        Row(Ids.Cos, Even, Call("cos", Math.Cos, x => -Math.Sin(x), 2, "cos({x})", "Math.Cos({x})", @"\cos\left({x}\right)"));
        Row(Ids.Tan, Odd, Call("tan", Math.Tan, x => 1.0 / (Math.Cos(x) * Math.Cos(x)), 3, "tan({x})", "Math.Tan({x})", @"\tan\left({x}\right)",
            SafeTan, SafeTanDerivative));
        Row(Ids.Tanh, Odd, Call("tanh", Math.Tanh, x => 1.0 - Math.Tanh(x) * Math.Tanh(x), 3, "tanh({x})", "Math.Tanh({x})", @"\tanh\left({x}\right)"));
        Row(Ids.Sgn, Odd, Call("sgn", Sign, _ => 0.0, 3, "sgn({x})", "Sgn({x})", @"\operatorname{sgn}\left({x}\right)"));
        Row(Ids.Arcsin, Odd, Call("arcsin", Math.Asin, x => 1.0 / Math.Sqrt(1.0 - x * x), 4, "asin({x})", "Math.Asin({x})", @"\operatorname{asin}\left({x}\right)",
            (x, _) => Math.Abs(x) > 1.0 ? Math.PI / 2 * Sign(x) : Math.Asin(x),
            (x, _) => Math.Abs(x) > 1.0 ? 0.0 : 1.0 / Math.Sqrt(1.0 - x * x)));
        Row(Ids.Arccos, None, Call("arccos", Math.Acos, x => -1.0 / Math.Sqrt(1.0 - x * x), 4, "acos({x})", "Math.Acos({x})", @"\operatorname{acos}\left({x}\right)",
            (x, _) => Math.Abs(x) > 1.0 ? Math.PI / 2 * (1.0 - Sign(x)) : Math.Acos(x),
            (x, _) => Math.Abs(x) > 1.0 ? 0.0 : -1.0 / Math.Sqrt(1.0 - x * x)));
        Row(Ids.Arctan, Odd, Call("arctan", Math.Atan, x => 1.0 / (1.0 + x * x), 4, "atan({x})", "Math.Atan({x})", @"\operatorname{atan}\left({x}\right)"));
        Row(Ids.Arctanh, Odd, Call("arctanh", Math.Atanh, x => 1.0 / (1.0 - x * x), 4, "atanh({x})", "Math.Atanh({x})", @"\operatorname{atanh}\left({x}\right)",
            (x, y) => Math.Abs(x) > Math.Tanh(y) - 1e-4 ? y * Sign(x) : Math.Atanh(x),
            (x, y) => Math.Abs(x) > Math.Tanh(y) - 1e-4 ? 0.0 : 1.0 / (1.0 - x * x)));
        Row(Ids.Zero, None, Entry("0", _ => 0.0, _ => 0.0, 0, "0*({x})", "0.0 * ({x})", @"0 \cdot {x}", null, null,
            _ => SymbolicExpression.Zero));
        Row(Ids.Gaussian, Even, Entry("gaussian", x => Math.Exp(-x * x), x => -2.0 * x * Math.Exp(-x * x), 3,
            "exp(-({x})^2)", "Math.Exp(-({x}) * ({x}))", @"e^{-\left({x}\right)^{2}}", null, null,
            argument => SymbolicExpression.Call(exp, SymbolicExpression.Multiply(
                SymbolicExpression.Constant(-1.0), SymbolicExpression.Power(argument, 2.0)))));

        if (rows.Count != Ids.Count)
        {
            throw new InvalidOperationException($"The built-in symbolic catalog has {rows.Count} rows; Ids.Count says {Ids.Count}.");
        }

        var functions = new SymbolicFunction[rows.Count];
        var parities = new SymbolicParity[rows.Count];
        for (int id = 0; id < rows.Count; id++)
        {
            (functions[id], parities[id]) = rows[id];
        }

        return (functions, parities);
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
