using KanCompile.Generators.Emit;
using KanCompile.Numerics;
using KanCompile.Splines;

namespace KanCompile.Engine;

/// <summary>
/// pykan 0.2's initialisation (kan-math §2.5, MultKAN's noise_scale 0.3), with KanCompile's own seeded
/// random source: for each layer, noise ν = (U − ½)·0.3/G at the G+1 interior knots, fitted by the
/// minimum-norm least-squares spline (the system is under-determined); scale_base = (2U − 1)/√in;
/// scale_sp = 1/√in; masks 1. Random numbers are drawn in pykan's order: ν[G+1][in][out], then
/// scale_base[in][out], layer after layer.
/// </summary>
internal static class KanInitializer
{
    public const double NoiseScale = 0.3;

    public static void Initialize(KernelLayout layout, ReadOnlySpan<double> knots, int seed, Span<double> parameters, Span<double> masks)
    {
        var spec = layout.Spec;
        var random = new KanRandom(seed);
        int g = spec.GridSize, k = spec.SplineOrder, count = layout.CoefficientsPerEdge;
        parameters.Clear();
        masks.Fill(1.0);
        for (int l = 0; l < spec.Depth; l++)
        {
            int inputs = spec.Width(l), outputs = spec.SubnodeWidth(l + 1);
            var noise = new double[g + 1, inputs, outputs];
            for (int s = 0; s <= g; s++)
            {
                for (int i = 0; i < inputs; i++)
                {
                    for (int j = 0; j < outputs; j++)
                    {
                        noise[s, i, j] = (random.NextDouble() - 0.5) * NoiseScale / g;
                    }
                }
            }

            for (int i = 0; i < inputs; i++)
            {
                ReadOnlySpan<double> row = knots.Slice((layout.NodeOffset[l] + i) * layout.KnotCount, layout.KnotCount);
                var solver = new MinimumNormSolver(Collocation(row, g, k));
                var rightHandSide = new double[g + 1];
                for (int j = 0; j < outputs; j++)
                {
                    for (int s = 0; s <= g; s++)
                    {
                        rightHandSide[s] = noise[s, i, j];
                    }

                    int e = i * outputs + j;
                    solver.Solve(rightHandSide, parameters.Slice(layout.CoefficientOffset[l] + e * count, count));
                }
            }

            double root = Math.Sqrt(inputs);
            for (int e = 0; e < inputs * outputs; e++)
            {
                parameters[layout.ScaleBaseOffset[l] + e] = (random.NextDouble() * 2.0 - 1.0) / root;
                parameters[layout.ScaleSplineOffset[l] + e] = 1.0 / root;
            }
        }
    }

    /// <summary>The (G+1)×(G+k) basis matrix at the interior knots t_k..t_{G+k}.</summary>
    private static double[,] Collocation(ReadOnlySpan<double> knots, int g, int k)
    {
        var matrix = new double[g + 1, g + k];
        var basis = new double[g + k];
        for (int s = 0; s <= g; s++)
        {
            BSplineBasis.Evaluate(knots[k + s], knots, k, basis);
            for (int m = 0; m < g + k; m++)
            {
                matrix[s, m] = basis[m];
            }
        }

        return matrix;
    }
}
