/// <summary>
/// The public development set of the formula search: dimensionless physical laws with input ranges that keep them
/// away from singularities. It is a benchmark: nothing in the search reads it, and the search is never tuned to it.
/// </summary>
/// <remarks>
/// Sources. The first 15 are the two-variable dimensionless Feynman laws of the KAN paper (Liu et al., "KAN:
/// Kolmogorov-Arnold Networks", arXiv:2404.19756, §3.3, Table 2). The others come from the Feynman Symbolic
/// Regression Database of AI Feynman (Udrescu and Tegmark, "AI Feynman: a physics-inspired method for symbolic
/// regression", Science Advances 6, eaay2631, 2020; https://space.mit.edu/home/tegmark/aifeynman.html), named by
/// their equation in The Feynman Lectures on Physics (vol.chapter.equation) and made dimensionless by dividing out
/// the units (e.g. I.12.2's q₁q₂/(4πεr²) with ε = 1 in units of ε); their ranges follow pykan's
/// kan/feynman.py where it gives them, narrowed where a law is singular at the edge.
/// </remarks>
internal static class Laws
{
    /// <summary>One law: its name, the formula as a physicist writes it, the function, one range per variable.</summary>
    public sealed record Law(string Name, string Target, Func<double[], double> F, (double Min, double Max)[] Ranges, bool Original = false)
    {
        public int Arity => Ranges.Length;
    }

    public static readonly Law[] All =
    [
        // The KAN paper's 15 (Table 2), as in the first version of this sample.
        new("I.6.2", "exp(-(a/b)^2/2)/sqrt(2*pi*b^2)", v => Math.Exp(-v[0] * v[0] / (2 * v[1] * v[1])) / Math.Sqrt(2 * Math.PI * v[1] * v[1]), [(-1, 1), (0.5, 2)], true),
        new("I.12.11", "1 + a*sin(b)", v => 1 + v[0] * Math.Sin(v[1]), [(-1, 1), (-1.5, 1.5)], true),
        new("I.13.12", "a*(1/b - 1)", v => v[0] * (1 / v[1] - 1), [(-1, 1), (0.5, 2)], true),
        new("I.15.3x", "(1 - a)/sqrt(1 - b^2)", v => (1 - v[0]) / Math.Sqrt(1 - v[1] * v[1]), [(-1, 1), (-0.8, 0.8)], true),
        new("I.18.4", "(1 + a*b)/(1 + a)", v => (1 + v[0] * v[1]) / (1 + v[0]), [(0, 2), (-1, 1)], true),
        new("I.26.2", "asin(a*sin(b))", v => Math.Asin(v[0] * Math.Sin(v[1])), [(0, 0.9), (-1.5, 1.5)], true),
        new("I.27.6", "1/(1 + a*b)", v => 1 / (1 + v[0] * v[1]), [(0, 2), (0, 2)], true),
        new("I.30.5", "asin(a/b)", v => Math.Asin(v[0] / v[1]), [(0, 0.9), (1, 2)], true),
        new("I.37.4", "1 + a + 2*sqrt(a)*cos(b)", v => 1 + v[0] + 2 * Math.Sqrt(v[0]) * Math.Cos(v[1]), [(0.1, 2), (-3, 3)], true),
        new("I.40.1", "a*exp(-b)", v => v[0] * Math.Exp(-v[1]), [(0.2, 2), (-1, 2)], true),
        new("I.44.4", "a*log(b)", v => v[0] * Math.Log(v[1]), [(-1, 1), (0.5, 3)], true),
        new("II.2.42", "(a - 1)*b", v => (v[0] - 1) * v[1], [(-1, 1), (-1, 1)], true),
        new("II.35.18", "a/(exp(b) + exp(-b))", v => v[0] / (Math.Exp(v[1]) + Math.Exp(-v[1])), [(0.5, 2), (-2, 2)], true),
        new("II.38.3", "a/b", v => v[0] / v[1], [(-1, 1), (0.5, 2)], true),
        new("III.10.19", "sqrt(1 + a^2 + b^2)", v => Math.Sqrt(1 + v[0] * v[0] + v[1] * v[1]), [(-1, 1), (-1, 1)], true),

        // AI Feynman's database, one and two variables.
        new("I.6.2a", "exp(-a^2/2)/sqrt(2*pi)", v => Math.Exp(-v[0] * v[0] / 2) / Math.Sqrt(2 * Math.PI), [(-3, 3)]),
        new("I.10.7", "a/sqrt(1 - b^2)", v => v[0] / Math.Sqrt(1 - v[1] * v[1]), [(0.5, 2), (-0.8, 0.8)]),
        new("I.16.6", "(a + b)/(1 + a*b)", v => (v[0] + v[1]) / (1 + v[0] * v[1]), [(-0.8, 0.8), (-0.8, 0.8)]),
        new("I.34.14", "b*(1 + a)/sqrt(1 - a^2)", v => v[1] * (1 + v[0]) / Math.Sqrt(1 - v[0] * v[0]), [(-0.8, 0.8), (0.5, 2)]),
        new("I.41.16", "a^3/(exp(a) - 1)", v => v[0] * v[0] * v[0] / (Math.Exp(v[0]) - 1), [(0.5, 3)]),
        new("I.50.26", "cos(a) + b*cos(a)^2", v => Math.Cos(v[0]) + v[1] * Math.Cos(v[0]) * Math.Cos(v[0]), [(-3, 3), (0, 1)]),
        new("II.11.27", "a*b/(1 - a/3)", v => v[0] * v[1] / (1 - v[0] / 3), [(0, 2), (0.5, 2)]),

        // AI Feynman's database, three variables.
        new("I.6.2b", "exp(-((a - b)/c)^2/2)/(sqrt(2*pi)*c)", v => Math.Exp(-(v[0] - v[1]) * (v[0] - v[1]) / (2 * v[2] * v[2])) / (Math.Sqrt(2 * Math.PI) * v[2]), [(-1.5, 1.5), (-1.5, 1.5), (0.5, 2)]),
        new("I.12.2", "a*b/(4*pi*c^2)", v => v[0] * v[1] / (4 * Math.PI * v[2] * v[2]), [(-1, 1), (-1, 1), (0.5, 2)]),
        new("I.18.12", "a*b*sin(c)", v => v[0] * v[1] * Math.Sin(v[2]), [(-1, 1), (-1, 1), (0, 3)]),
        new("I.27.6b", "1/(1/a + c/b)", v => 1 / (1 / v[0] + v[2] / v[1]), [(0.5, 2), (1, 2), (0.5, 2)]),
        new("I.29.16", "sqrt(1 + a^2 - 2*a*cos(b - c))", v => Math.Sqrt(1 + v[0] * v[0] - 2 * v[0] * Math.Cos(v[1] - v[2])), [(0.2, 0.8), (0, 3), (0, 3)]),
        new("I.34.10", "a/(1 - b/c)", v => v[0] / (1 - v[1] / v[2]), [(0.5, 2), (0, 0.9), (1.1, 2)]),
        new("I.37.4b", "a + b + 2*sqrt(a*b)*cos(c)", v => v[0] + v[1] + 2 * Math.Sqrt(v[0] * v[1]) * Math.Cos(v[2]), [(0.1, 1), (0.1, 1), (-3, 3)]),
        new("I.39.11", "b*c/(a - 1)", v => v[1] * v[2] / (v[0] - 1), [(1.5, 3), (0, 1), (0, 1)]),
        new("I.43.31", "a*b*c", v => v[0] * v[1] * v[2], [(-1, 1), (0.5, 2), (0.5, 2)]),
        new("I.47.23", "sqrt(a*b/c)", v => Math.Sqrt(v[0] * v[1] / v[2]), [(0.1, 1), (0.1, 1), (0.5, 2)]),
        new("II.36.38", "a + b*c", v => v[0] + v[1] * v[2], [(-1, 1), (-1, 1), (-1, 1)]),
        new("III.17.37", "a*(1 + b*cos(c))", v => v[0] * (1 + v[1] * Math.Cos(v[2])), [(0.5, 2), (0, 1), (-3, 3)]),
    ];
}
