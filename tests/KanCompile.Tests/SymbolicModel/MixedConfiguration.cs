using KanCompile.Compilation;
using KanCompile.Generators.Emit;
using KanCompile.Symbolic;

namespace KanCompile.Tests.SymbolicModel;

/// <summary>Which branches a random configuration makes live.</summary>
public enum MixedKind
{
    /// <summary>Every edge spline only (symbolic masks 0, dormant singular functions left behind).</summary>
    SplineOnly,

    /// <summary>Every edge symbolic only (spline masks 0).</summary>
    SymbolicOnly,

    /// <summary>A mix of spline-only, symbolic-only and both per edge.</summary>
    Mixed,
}

/// <summary>
/// A random symbolic configuration for a kernel layout: masks of both branches, function ids, affine parameters and
/// a user function, chosen so f(a·x + b) stays in its domain for inputs in [-0.8, 0.8] (singular functions on the
/// first layer, total ones deeper), unless the singularity-safe variants are on, which then cross the singularities.
/// </summary>
internal sealed class MixedConfiguration
{
    /// <summary>A user function (not built in): goes through its delegates.</summary>
    public static readonly SymbolicFunction UserFunction = new(
        "xsin", x => x * Math.Sin(x), x => Math.Sin(x) + x * Math.Cos(x), 3, "({x})*sin({x})", "({x}) * Math.Sin({x})", @"{x}\sin{x}")
    {
        SecondDerivative = x => 2.0 * Math.Cos(x) - x * Math.Sin(x),
        ThirdDerivative = x => -3.0 * Math.Sin(x) - x * Math.Cos(x),
    };

    private static readonly string[] Singular = ["1/x", "1/x^2", "1/x^3", "1/x^4", "1/x^5", "sqrt", "x^0.5", "x^1.5", "1/sqrt(x)", "1/x^0.5", "log"];
    private static readonly string[] Bounded = ["arcsin", "arccos", "arctanh", "tan"];
    private static readonly string[] Total = ["x", "x^2", "x^3", "x^4", "x^5", "exp", "abs", "sin", "cos", "tanh", "sgn", "arctan", "0", "gaussian"];

    public required double[] SplineMasks { get; init; }

    public required double[] SymbolicMasks { get; init; }

    public required int[] Ids { get; init; }

    public required double[] Affine { get; init; }

    public required SymbolicFunction?[] Functions { get; init; }

    public double Threshold { get; init; }

    public SymbolicEdgeSpans Spans => new(SymbolicMasks, Ids, Affine, Functions, Threshold);

    public static MixedConfiguration Create(KernelLayout layout, MixedKind kind, int seed, double threshold = 0.0)
    {
        var random = new Random(seed);
        int edges = layout.EdgeCount;
        var splineMasks = new double[edges];
        var symbolicMasks = new double[edges];
        var ids = new int[edges];
        var affine = new double[edges * 4];
        var functions = new SymbolicFunction?[edges];
        bool userPlaced = false;
        for (int l = 0; l < layout.Spec.Depth; l++)
        {
            int count = layout.Spec.Width(l) * layout.Spec.SubnodeWidth(l + 1); // edges end in sub-nodes (multiplication nodes)
            for (int e = 0; e < count; e++)
            {
                int edge = layout.EdgeOffset[l] + e;
                int mode = kind switch
                {
                    MixedKind.SplineOnly => 0,
                    MixedKind.SymbolicOnly => 1,
                    _ => random.Next(3),
                };
                splineMasks[edge] = mode == 1 ? 0.0 : 1.0;
                symbolicMasks[edge] = mode == 0 ? 0.0 : (random.Next(4) == 0 ? 0.7 : 1.0);
                string name;
                double a, b;
                if (l == 0 && random.Next(4) != 0)
                {
                    bool bounded = random.Next(4) == 0;
                    name = bounded ? Bounded[random.Next(Bounded.Length)] : Singular[random.Next(Singular.Length)];
                    if (threshold > 0.0)
                    {
                        // Safe variants: let a·x + b cross the singularities and domain edges.
                        (a, b) = (1.0 + 2.0 * random.NextDouble(), 0.2 * random.NextDouble() - 0.1);
                    }
                    else
                    {
                        (a, b) = bounded ? (0.3 + 0.3 * random.NextDouble(), 0.1 * random.NextDouble()) : (0.3 + 0.3 * random.NextDouble(), 1.2 + 0.3 * random.NextDouble());
                    }
                }
                else
                {
                    name = Total[random.Next(Total.Length)];
                    (a, b) = (0.4 + 0.8 * random.NextDouble(), 0.4 * random.NextDouble() - 0.2);
                }

                SymbolicFunction function = SymbolicLibrary.Default.Get(name);
                if (l > 0 && !userPlaced && mode != 0)
                {
                    function = UserFunction;
                    userPlaced = true;
                }

                if (mode == 0)
                {
                    // Dormant: a singular function at its singularity that must never be evaluated.
                    function = SymbolicLibrary.Default.Get("1/x");
                    (a, b) = (0.0, 0.0);
                }

                functions[edge] = function;
                ids[edge] = SymbolicDispatch.IdOf(function);
                affine[4 * edge] = a;
                affine[4 * edge + 1] = b;
                affine[4 * edge + 2] = random.NextDouble() * 1.6 - 0.8;
                affine[4 * edge + 3] = random.NextDouble() * 0.6 - 0.3;
            }
        }

        return new MixedConfiguration
        {
            SplineMasks = splineMasks,
            SymbolicMasks = symbolicMasks,
            Ids = ids,
            Affine = affine,
            Functions = functions,
            Threshold = threshold,
        };
    }
}
