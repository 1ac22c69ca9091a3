using KanCompile.Symbolic.Expressions;

namespace KanCompile.Symbolic;

/// <summary>
/// The one catalog of the built-in symbolic functions: pykan's <c>SYMBOLIC_LIB</c> (kan-math §1.9) in pykan's order,
/// one row per function with its id, parity, complexity and printers (text, C#, LaTeX); its f, f' and
/// singularity-safe variant come from the switches in BuiltInSymbolicFunctions.Math.cs. Power-like entries apply as
/// <see cref="PowerExpression"/> so the simplifier and printers see x^n, not a call. Everything else keys off these
/// rows: the kernels' dispatcher (<c>SymbolicDispatch</c>) forwards to the same switches, the fit's vectorised forms
/// (BuiltInSymbolicFunctions.Spans.cs, runtime only) are looked up by id, the simplifier takes parity from here.
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

    /// <summary>
    /// The parity of <paramref name="function"/> from its catalog row (None for a function outside the catalog, even
    /// one that reuses a built-in name: rows are recognised by identity).
    /// </summary>
    public static SymbolicParity ParityOf(SymbolicFunction function) => IdOf(function) is var id && id >= 0 ? s_catalog.Parities[id] : SymbolicParity.None;

    /// <summary>The catalog id of <paramref name="function"/>, or −1 when it is not one of the rows (by identity, not by name).</summary>
    public static int IdOf(SymbolicFunction function)
    {
        for (int id = 0; id < Ids.Count; id++)
        {
            if (ReferenceEquals(All[id], function))
            {
                return id;
            }
        }

        return -1;
    }

    /// <summary>True when <paramref name="function"/> is the catalog row <paramref name="id"/> itself.</summary>
    public static bool Is(SymbolicFunction function, int id) => ReferenceEquals(All[id], function);

    /// <summary>pykan's torch.sign: NaN stays NaN (Math.Sign would throw).</summary>
    public static double Sign(double x) => x > 0 ? 1.0 : x < 0 ? -1.0 : x;

    private static (SymbolicFunction[] Functions, SymbolicParity[] Parities) Create()
    {
        var rows = new List<(SymbolicFunction Function, SymbolicParity Parity)>(Ids.Count);

        // Each row names its id, so a row out of place fails here, at its definition, not in a list kept elsewhere.
        void Row(int id, SymbolicParity parity, Func<int, SymbolicFunction> entry)
        {
            SymbolicFunction function = entry(id);
            if (id != rows.Count)
            {
                throw new InvalidOperationException($"The built-in symbolic function '{function.Name}' is listed at position {rows.Count} but has id {id}.");
            }

            rows.Add((function, parity));
        }

        // safe: the row has a singularity-safe variant of its own (in SafeValueAndDerivative); the others use f itself.
        const SymbolicParity Odd = SymbolicParity.Odd, Even = SymbolicParity.Even, None = SymbolicParity.None;
        const bool Safe = true;
        Row(Ids.X, Odd, PowerEntry("x", 1, 1));
        Row(Ids.Square, Even, PowerEntry("x^2", 2, 2));
        Row(Ids.Cube, Odd, PowerEntry("x^3", 3, 3));
        Row(Ids.FourthPower, Even, PowerEntry("x^4", 4, 3));
        Row(Ids.FifthPower, Odd, PowerEntry("x^5", 5, 3));
        Row(Ids.Reciprocal, Odd, PowerEntry("1/x", -1, 2, Safe));
        Row(Ids.ReciprocalSquare, Even, PowerEntry("1/x^2", -2, 2, Safe));
        Row(Ids.ReciprocalCube, Odd, PowerEntry("1/x^3", -3, 3, Safe));
        Row(Ids.ReciprocalFourth, Even, PowerEntry("1/x^4", -4, 4, Safe));
        Row(Ids.ReciprocalFifth, Odd, PowerEntry("1/x^5", -5, 5, Safe));
        Row(Ids.Sqrt, None, PowerEntry("sqrt", 0.5, 2, Safe));
        Row(Ids.HalfPower, None, PowerEntry("x^0.5", 0.5, 2, Safe));
        Row(Ids.OneAndAHalfPower, None, PowerEntry("x^1.5", 1.5, 4, Safe));
        Row(Ids.ReciprocalSqrt, None, PowerEntry("1/sqrt(x)", -0.5, 2, Safe));
        Row(Ids.ReciprocalHalfPower, None, PowerEntry("1/x^0.5", -0.5, 2, Safe));
        Row(Ids.Exp, None, Call("exp", 2, "exp({x})", "Math.Exp({x})", @"e^{{x}}", Safe));
        Row(Ids.Log, None, Call("log", 2, "log({x})", "Math.Log({x})", @"\log\left({x}\right)", Safe));
        Row(Ids.Abs, Even, Call("abs", 3, "abs({x})", "Math.Abs({x})", @"\left|{x}\right|"));
        Row(Ids.Sin, Odd, Call("sin", 2, "sin({x})", "Math.Sin({x})", @"\sin\left({x}\right)"));
        Row(Ids.Cos, Even, Call("cos", 2, "cos({x})", "Math.Cos({x})", @"\cos\left({x}\right)"));
        Row(Ids.Tan, Odd, Call("tan", 3, "tan({x})", "Math.Tan({x})", @"\tan\left({x}\right)", Safe));
        Row(Ids.Tanh, Odd, Call("tanh", 3, "tanh({x})", "Math.Tanh({x})", @"\tanh\left({x}\right)"));
        Row(Ids.Sgn, Odd, Call("sgn", 3, "sgn({x})", "Sgn({x})", @"\operatorname{sgn}\left({x}\right)"));
        Row(Ids.Arcsin, Odd, Call("arcsin", 4, "asin({x})", "Math.Asin({x})", @"\operatorname{asin}\left({x}\right)", Safe));
        Row(Ids.Arccos, None, Call("arccos", 4, "acos({x})", "Math.Acos({x})", @"\operatorname{acos}\left({x}\right)", Safe));
        Row(Ids.Arctan, Odd, Call("arctan", 4, "atan({x})", "Math.Atan({x})", @"\operatorname{atan}\left({x}\right)"));
        Row(Ids.Arctanh, Odd, Call("arctanh", 4, "atanh({x})", "Math.Atanh({x})", @"\operatorname{atanh}\left({x}\right)", Safe));
        Row(Ids.Zero, None, Call("0", 0, "0*({x})", "0.0 * ({x})", @"0 \cdot {x}", apply: _ => SymbolicExpression.Zero));
        Row(Ids.Gaussian, Even, Call("gaussian", 3, "exp(-({x})^2)", "Math.Exp(-({x}) * ({x}))", @"e^{-\left({x}\right)^{2}}",
            apply: argument => SymbolicExpression.Call(rows[Ids.Exp].Function, SymbolicExpression.Multiply(
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

    /// <summary>
    /// The power rows' f by exponent, for the fit's vectorised forms (BuiltInSymbolicFunctions.Spans.cs): pykan's torch
    /// forms, x**n as repeated products, x^1.5 as sqrt(x)**3, reciprocals as 1/x**n, which is how the switch spells
    /// them too (the catalog test holds the two bit for bit).
    /// </summary>
    internal static double Power(double x, double exponent) => exponent switch
    {
        1 => x,
        2 => x * x,
        3 => x * x * x,
        4 => x * x * x * x,
        5 => x * x * x * x * x,
        1.5 => Math.Sqrt(x) * Math.Sqrt(x) * Math.Sqrt(x),
        -2 => 1.0 / (x * x),
        -3 => 1.0 / (x * x * x),
        -4 => 1.0 / (x * x * x * x),
        -5 => 1.0 / (x * x * x * x * x),
        _ => PowerExpression.Raise(x, exponent),
    };

    /// <summary>A power row: f, f' and its safe variant from the switch, like every row; it applies as x^n.</summary>
    private static Func<int, SymbolicFunction> PowerEntry(string name, double exponent, int complexity, bool safe = false)
    {
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
        return id => new SymbolicFunction(name, x => Value(id, x), DerivativeOf(id), complexity, text, csharp, latex,
            safe ? SafeValueOf(id) : null, safe ? SafeDerivativeOf(id) : null,
            exponent == 1 ? argument => argument : argument => SymbolicExpression.Power(argument, exponent));
    }

    /// <summary>A row whose f, f' and safe variant are the switch's (BuiltInSymbolicFunctions.Math.cs).</summary>
    private static Func<int, SymbolicFunction> Call(
        string name, int complexity, string text, string csharp, string latex, bool safe = false,
        Func<SymbolicExpression, SymbolicExpression>? apply = null) =>
        id => new SymbolicFunction(name, x => Value(id, x), DerivativeOf(id), complexity, text, csharp, latex,
            safe ? SafeValueOf(id) : null, safe ? SafeDerivativeOf(id) : null, apply);

    private static Func<double, double> DerivativeOf(int id) => x =>
    {
        ValueAndDerivative(id, x, out double derivative);
        return derivative;
    };

    private static Func<double, double, double> SafeValueOf(int id) => (x, y) => SafeValueAndDerivative(id, x, y, out _);

    private static Func<double, double, double> SafeDerivativeOf(int id) => (x, y) =>
    {
        SafeValueAndDerivative(id, x, y, out double derivative);
        return derivative;
    };
}
