using KanCompile.Symbolic.Expressions;

namespace KanCompile.Symbolic.Discovery;

/// <summary>
/// An output transform of the structure search: y = F(z) is often simpler to see through z = T(y) with T = F⁻¹
/// (sqrt(1 + a² + b²) is additive after squaring, 1/(1 + a·b) after inverting, asin(a·sin b) multiplicative after
/// sin). The list inverts the common outer functions; nothing in it depends on a law.
/// </summary>
/// <param name="Name">How z reads, e.g. "1/y".</param>
/// <param name="Sign">−1 applies T to −y (for labels that are all negative), else 1.</param>
/// <param name="Transform">T with its first and second derivatives.</param>
/// <param name="Domain">Where T is defined and invertible (checked on every sample).</param>
/// <param name="Inverse">y as an expression of the solved z: Sign·T⁻¹(z).</param>
/// <param name="Outer">The outer function as a person reads the law, e.g. "sqrt".</param>
internal sealed record PartTransform(
    string Name,
    double Sign,
    Func<double, (double Z, double Dz, double D2z)> Transform,
    Func<double, bool> Domain,
    Func<SymbolicExpression, SymbolicExpression> Inverse,
    string Outer)
{
    /// <summary>z, dz/dy and d²z/dy² at y (with the sign applied).</summary>
    public (double Z, double Dz, double D2z) Apply(double y)
    {
        var (z, dz, d2z) = Transform(Sign * y);
        return (z, dz * Sign, d2z);
    }

    /// <summary>True when every value lies in the transform's domain.</summary>
    public bool Applies(IEnumerable<double> values) => values.All(y => double.IsFinite(y) && Domain(Sign * y));

    /// <summary>The transforms, in order, for each sign.</summary>
    public static IReadOnlyList<PartTransform> All { get; } = Create();

    private static List<PartTransform> Create()
    {
        var library = SymbolicLibrary.Default;
        SymbolicExpression Call(string name, SymbolicExpression z) => library.Get(name).Apply(z);
        var list = new List<PartTransform>();
        foreach (double sign in new[] { 1.0, -1.0 })
        {
            SymbolicExpression Signed(SymbolicExpression y) => sign > 0 ? y : SymbolicExpression.Multiply(SymbolicExpression.Constant(-1.0), y);
            string Of(string body) => sign > 0 ? body : body.Replace("y", "(-y)", StringComparison.Ordinal);
            list.Add(new(Of("1/y"), sign, y => (1 / y, -1 / (y * y), 2 / (y * y * y)), y => y > 1e-12, z => Signed(SymbolicExpression.Power(z, -1.0)), "1/x"));
            list.Add(new(Of("y^2"), sign, y => (y * y, 2 * y, 2), y => y >= 0, z => Signed(SymbolicExpression.Power(z, 0.5)), "sqrt"));
            list.Add(new(Of("1/y^2"), sign, y => (1 / (y * y), -2 / (y * y * y), 6 / (y * y * y * y)), y => y > 1e-12, z => Signed(SymbolicExpression.Power(z, -0.5)), "1/sqrt"));
            list.Add(new(Of("log(y)"), sign, y => (Math.Log(y), 1 / y, -1 / (y * y)), y => y > 1e-12, z => Signed(Call("exp", z)), "exp"));
        }

        list.Add(new("exp(y)", 1.0, y => (Math.Exp(y), Math.Exp(y), Math.Exp(y)), y => Math.Abs(y) < 30, z => Call("log", z), "log"));
        list.Add(new("sin(y)", 1.0, y => (Math.Sin(y), Math.Cos(y), -Math.Sin(y)), y => Math.Abs(y) <= Math.PI / 2, z => Call("arcsin", z), "asin"));
        list.Add(new("atanh(y)", 1.0, y => (Math.Atanh(y), 1 / (1 - y * y), 2 * y / ((1 - y * y) * (1 - y * y))), y => Math.Abs(y) < 1 - 1e-9, z => Call("tanh", z), "tanh"));
        list.Add(new("tan(y)", 1.0, y => (Math.Tan(y), 1 + Math.Tan(y) * Math.Tan(y), 2 * Math.Tan(y) * (1 + Math.Tan(y) * Math.Tan(y))), y => Math.Abs(y) < 1.5, z => Call("arctan", z), "atan"));
        return list;
    }
}

/// <summary>
/// A combination of two variables a law may depend on only as a whole (AI Feynman's symmetries): a − b, a + b, a·b
/// or a/b. Tested on the gradient: f depends on x_i, x_j only through u exactly when ∂f/∂x_i·∂u/∂x_j = ∂f/∂x_j·∂u/∂x_i.
/// </summary>
internal sealed record PairCombination(string Operator)
{
    public static IReadOnlyList<PairCombination> All { get; } = [new("-"), new("+"), new("*"), new("/")];

    /// <summary>How the combination reads, e.g. "a/b".</summary>
    public string Name(string a, string b) => Operator switch
    {
        "*" => $"{Wrap(a)}*{Wrap(b)}",
        "/" => $"{Wrap(a)}/{Wrap(b)}",
        _ => $"({a} {Operator} {b})",
    };

    private static string Wrap(string name) => name.Length == 1 ? name : "(" + name + ")";

    /// <summary>True when the pair's box suits the combination: a product needs x_j on one side of 0, a quotient away from it.</summary>
    public bool Fits((double Min, double Max) j) => Operator switch
    {
        "-" or "+" => true,
        "*" => j.Min >= 0 || j.Max <= 0,
        _ => j.Min > 0 || j.Max < 0,
    };

    /// <summary>u as an expression of the two variables.</summary>
    public SymbolicExpression Expression(SymbolicExpression a, SymbolicExpression b) => Operator switch
    {
        "-" => SymbolicExpression.Add(a, SymbolicExpression.Multiply(SymbolicExpression.Constant(-1.0), b)),
        "+" => SymbolicExpression.Add(a, b),
        "*" => SymbolicExpression.Multiply(a, b),
        _ => SymbolicExpression.Multiply(a, SymbolicExpression.Power(b, -1.0)),
    };

    /// <summary>The gradient condition's residual relative to its terms at one point (0 when f depends only on u).</summary>
    public double Residual(double xi, double xj, double fi, double fj)
    {
        // ∂u/∂x_i and ∂u/∂x_j, up to a common factor.
        var (ui, uj) = Operator switch
        {
            "-" => (1.0, -1.0),
            "+" => (1.0, 1.0),
            "*" => (xj, xi),
            _ => (1.0 / xj, -xi / (xj * xj)),
        };
        double left = fi * uj, right = fj * ui;
        double scale = Math.Abs(left) + Math.Abs(right);
        return scale > 0.0 ? Math.Abs(left - right) / scale : double.NaN;
    }

    /// <summary>u = x_i ∘ x_j.</summary>
    public double Combine(double xi, double xj) => Operator switch
    {
        "-" => xi - xj,
        "+" => xi + xj,
        "*" => xi * xj,
        _ => xi / xj,
    };

    /// <summary>x_i with u(x_i, x_j) = u.</summary>
    public double Solve(double u, double xj) => Operator switch
    {
        "-" => u + xj,
        "+" => u - xj,
        "*" => u / xj,
        _ => u * xj,
    };

    /// <summary>
    /// The first and second derivatives of x_i = Solve(u, x_j) with respect to u and x_j:
    /// (∂/∂u, ∂/∂x_j, ∂²/∂u², ∂²/∂u∂x_j, ∂²/∂x_j²).
    /// </summary>
    public (double Du, double Dj, double Duu, double Duj, double Djj) Derivatives(double u, double xj) => Operator switch
    {
        "-" => (1.0, 1.0, 0.0, 0.0, 0.0),
        "+" => (1.0, -1.0, 0.0, 0.0, 0.0),
        "*" => (1.0 / xj, -u / (xj * xj), 0.0, -1.0 / (xj * xj), 2.0 * u / (xj * xj * xj)),
        _ => (xj, u, 0.0, 1.0, 0.0),
    };

    /// <summary>∂x_i/∂u at fixed x_j.</summary>
    public double Slope(double xj) => Operator switch
    {
        "-" or "+" => 1.0,
        "*" => 1.0 / xj,
        _ => xj,
    };

    /// <summary>The range of u over the box.</summary>
    public (double Min, double Max) Range((double Min, double Max) i, (double Min, double Max) j)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        const int Steps = 64;
        for (int a = 0; a <= Steps; a++)
        {
            for (int b = 0; b <= Steps; b++)
            {
                double xi = i.Min + (i.Max - i.Min) * a / Steps, xj = j.Min + (j.Max - j.Min) * b / Steps;
                double u = Combine(xi, xj);
                min = Math.Min(min, u);
                max = Math.Max(max, u);
            }
        }

        return (min, max);
    }

    /// <summary>
    /// The x_j to evaluate u at: the middle of x_j's range clamped to where x_i = Solve(u, x_j) stays in its range
    /// (a continuous choice, so F(u) carries no jumps); the boundaries are found by bisection.
    /// </summary>
    public double PartnerFor(double u, (double Min, double Max) i, (double Min, double Max) j)
    {
        bool Feasible(double xj)
        {
            double xi = Solve(u, xj);
            return xi >= i.Min && xi <= i.Max;
        }

        const int Steps = 128;
        double centre = 0.5 * (j.Min + j.Max);
        if (Feasible(centre))
        {
            return centre;
        }

        // The feasible x_j nearest the centre: scan outwards, then bisect to the boundary.
        double step = (j.Max - j.Min) / Steps;
        for (int k = 1; k <= Steps / 2; k++)
        {
            foreach (double candidate in new[] { centre - k * step, centre + k * step })
            {
                if (Feasible(candidate))
                {
                    double inside = candidate, outside = candidate < centre ? candidate + step : candidate - step;
                    for (int b = 0; b < 40; b++)
                    {
                        double middle = 0.5 * (inside + outside);
                        if (Feasible(middle))
                        {
                            inside = middle;
                        }
                        else
                        {
                            outside = middle;
                        }
                    }

                    return inside;
                }
            }
        }

        return double.NaN;
    }
}
