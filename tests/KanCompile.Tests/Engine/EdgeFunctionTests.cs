using KanCompile.Engine;
using KanCompile.Generators.Emit;
using KanCompile.Tests.Models;

namespace KanCompile.Tests.Engine;

/// <summary>The per-edge function used for plots must reproduce the kernel's traced edge values exactly.</summary>
public sealed class EdgeFunctionTests
{
    public static TheoryData<string> Models => new() { "network", "deep-identity", "quintic-zero" };

    [Theory]
    [MemberData(nameof(Models))]
    public void Evaluate_MatchesTracedEdgeValues(string name)
    {
        KanModel model = Create(name);
        var random = new Random(17);
        foreach (ref double p in model.Parameters)
        {
            p += random.NextDouble() - 0.5;
        }

        model.SetMask(new KanEdge(0, 1, 0), 0.0);
        KernelLayout layout = model.Layout;
        var nodes = new double[layout.NodeCount];
        var edges = new double[layout.EdgeCount];
        var splines = new double[layout.EdgeCount];
        var input = new double[model.InputCount];
        int compared = 0;
        for (int sample = 0; sample < 20; sample++)
        {
            // Some samples leave the grid so the residual-only region is covered too.
            for (int v = 0; v < input.Length; v++)
            {
                input[v] = (random.NextDouble() - 0.5) * 5.0;
            }

            model.Kernel.Trace(input, model.ParameterBuffer, model.KnotTable, model.MaskBuffer, nodes, edges, splines);
            for (int l = 0; l < model.Depth; l++)
            {
                for (int i = 0; i < model.Widths[l]; i++)
                {
                    for (int j = 0; j < model.Widths[l + 1]; j++)
                    {
                        double traced = edges[layout.EdgeOffset[l] + i * model.Widths[l + 1] + j];
                        double direct = EdgeFunction.Evaluate(model, new KanEdge(l, i, j), nodes[layout.NodeOffset[l] + i]);
                        Assert.Equal(traced, direct, 1e-12 * Math.Max(1.0, Math.Abs(traced)));
                        compared++;
                    }
                }
            }
        }

        Assert.True(compared > 100);
        Assert.Equal(0.0, EdgeFunction.Evaluate(model, new KanEdge(0, 1, 0), 0.3));
    }

    private static KanModel Create(string name) => name switch
    {
        "network" => new KanNetwork(new[] { 2, 3, 2 }, gridSize: 5, seed: 3),
        "deep-identity" => new Deep2321K4(seed: 2),
        _ => new Quintic231K5(seed: 4),
    };
}
