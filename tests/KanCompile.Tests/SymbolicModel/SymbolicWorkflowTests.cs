using KanCompile.Persistence;
using KanCompile.Symbolic;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.SymbolicModel;

/// <summary>FixSymbolic / UnfixSymbolic / SetSymbolicMode / AutoSymbolic rules, SymbolicFormula, attribution and persistence.</summary>
public class SymbolicWorkflowTests
{
    private static double[] Samples(int count, int inputs, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count * inputs).Select(_ => random.NextDouble() * 2 - 1).ToArray();
    }

    /// <summary>An edge made exactly 0.8·sin(2x + 0.3) − 0.1 by writing its spline, then fitted back.</summary>
    [Fact]
    public void FixSymbolic_fits_the_edge_output_and_switches_masks()
    {
        var model = new KanNetwork([1, 1], gridSize: 5, seed: 1, engine: KanEngine.Reference);
        double[] inputs = Samples(200, 1, 4);
        var y = new double[1];
        var x = new double[inputs.Length];
        var phi = new double[inputs.Length];
        for (int s = 0; s < inputs.Length; s++)
        {
            model.Forward(inputs.AsSpan(s, 1), y);
            x[s] = inputs[s];
            phi[s] = y[0];
        }

        double r2 = model.FixSymbolic(new KanEdge(0, 0, 0), "sin", inputs: inputs);
        var expected = SymbolicFit.FitParameters(x, phi, SymbolicLibrary.Default["sin"]);
        Assert.Equal(expected.RSquared, r2);
        Assert.Equal(new SymbolicEdge("sin", expected.A, expected.B, expected.C, expected.D), model.GetSymbolicEdge(new KanEdge(0, 0, 0)));
        Assert.Equal(0.0, model.GetMask(new KanEdge(0, 0, 0)));
        Assert.Equal(1.0, model.GetSymbolicMask(new KanEdge(0, 0, 0)));
        Assert.True(model.HasSymbolicEdges);

        // Now the model is exactly c·sin(a·x + b) + d.
        model.Forward([0.25], y);
        Assert.Equal(expected.C * Math.Sin(expected.A * 0.25 + expected.B) + expected.D, y[0], 14);

        // Fixing a dead edge returns pykan's -1e8; without fitting the affine is (1, 0, 1, 0) and r² NaN.
        Assert.Equal(KanModel.DeadEdgeRSquared, model.FixSymbolic(new KanEdge(0, 0, 0), "x", inputs: inputs));
        Assert.True(double.IsNaN(model.FixSymbolic(new KanEdge(0, 0, 0), "tanh", fitParameters: false)));
        Assert.Equal(new SymbolicEdge("tanh", 1, 0, 1, 0), model.GetSymbolicEdge(new KanEdge(0, 0, 0)));

        model.UnfixSymbolic(new KanEdge(0, 0, 0));
        Assert.Null(model.GetSymbolicEdge(new KanEdge(0, 0, 0)));
        Assert.Equal(1.0, model.GetMask(new KanEdge(0, 0, 0)));
        Assert.False(model.HasSymbolicEdges);
        Assert.Throws<KeyNotFoundException>(() => model.FixSymbolic(new KanEdge(0, 0, 0), "bessel", inputs: inputs));
        Assert.Throws<InvalidOperationException>(() => model.FixSymbolic(new KanEdge(0, 0, 0), "sin"));
    }

    [Fact]
    public void SetSymbolicMode_sets_both_masks()
    {
        var model = new KanNetwork([2, 2], gridSize: 3, seed: 1, engine: KanEngine.Reference);
        model.SetSymbolicMode(new KanEdge(0, 1, 0), SymbolicMode.Both);
        Assert.Equal((1.0, 1.0), (model.GetMask(new KanEdge(0, 1, 0)), model.GetSymbolicMask(new KanEdge(0, 1, 0))));
        model.SetSymbolicMode(new KanEdge(0, 1, 0), SymbolicMode.Symbolic);
        Assert.Equal((0.0, 1.0), (model.GetMask(new KanEdge(0, 1, 0)), model.GetSymbolicMask(new KanEdge(0, 1, 0))));
        model.SetSymbolicMode(new KanEdge(0, 1, 0), SymbolicMode.Numeric);
        Assert.Equal((1.0, 0.0), (model.GetMask(new KanEdge(0, 1, 0)), model.GetSymbolicMask(new KanEdge(0, 1, 0))));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.SetSymbolicMode(new KanEdge(0, 2, 0), SymbolicMode.Both));
    }

    [Fact]
    public void AutoSymbolic_follows_pykans_rules()
    {
        var model = new KanNetwork([2, 2], gridSize: 5, seed: 2, engine: KanEngine.Reference);
        double[] inputs = Samples(60, 2, 9);
        model.FixSymbolic(new KanEdge(0, 0, 0), "x^2", fitParameters: false);   // symbolic only → skipped
        model.SetMask(new KanEdge(0, 0, 1), 0.0);                                // both masks 0 → '0'
        var library = SymbolicLibrary.Create("x", "sin", "tanh");
        var report = model.AutoSymbolic(inputs, library);
        Assert.Equal(4, report.Count);
        Assert.Equal(AutoSymbolicAction.SkippedAlreadySymbolic, report[0].Action);
        Assert.Equal(new SymbolicEdge("x^2", 1, 0, 1, 0), model.GetSymbolicEdge(new KanEdge(0, 0, 0)));
        Assert.Equal(AutoSymbolicAction.FixedZero, report[1].Action);
        Assert.Equal("0", model.GetSymbolicEdge(new KanEdge(0, 0, 1))!.Value.FunctionName);
        Assert.Equal(KanModel.DeadEdgeRSquared, report[1].RSquared);
        for (int k = 2; k < 4; k++)
        {
            Assert.Equal(AutoSymbolicAction.Fixed, report[k].Action);
            Assert.Contains(report[k].FunctionName, library.Names);
            Assert.Equal(report[k].FunctionName, model.GetSymbolicEdge(new KanEdge(0, 1, k - 2))!.Value.FunctionName);
        }

        // A threshold above every r² leaves the edges numeric.
        var fresh = new KanNetwork([2, 2], gridSize: 5, seed: 2, engine: KanEngine.Reference);
        var refused = fresh.AutoSymbolic(inputs, library, r2Threshold: 1.5);
        Assert.All(refused, entry => Assert.Equal(AutoSymbolicAction.BelowThreshold, entry.Action));
        Assert.False(fresh.HasSymbolicEdges);
    }

    [Fact]
    public void SymbolicFormula_refuses_live_numeric_edges_and_composes_symbolic_ones()
    {
        var model = new KanNetwork([2, 1, 1], gridSize: 3, seed: 1, engine: KanEngine.Reference);
        model.FixSymbolic(new KanEdge(0, 0, 0), "sin", fitParameters: false);
        var error = Assert.Throws<InvalidOperationException>(() => model.SymbolicFormula());
        Assert.Contains("(0,1,0), (1,0,0)", error.Message, StringComparison.Ordinal);

        model.FixSymbolic(new KanEdge(0, 1, 0), "x^2", fitParameters: false);
        model.FixSymbolic(new KanEdge(1, 0, 0), "exp", fitParameters: false);
        Span<double> affine = model.SymbolicParameters;
        double[] values = [3.0, 0.5, 2.0, 0.25, 1.5, -0.2, 0.7, 0.1, 0.6, 0.0, 1.0, -1.0];
        values.CopyTo(affine);
        var formula = model.SymbolicFormula(["x", "y"]);
        var y = new double[1];
        var f = new double[1];
        foreach (var point in new[] { new[] { 0.3, -0.4 }, new[] { -0.8, 0.9 } })
        {
            model.Forward(point, y);
            formula.Evaluate(point, f);
            Assert.Equal(y[0], f[0], 13);
        }

        Assert.Contains("sin(", formula.ToText(), StringComparison.Ordinal);
        Assert.Contains("y", formula.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Attribution_counts_the_symbolic_branch()
    {
        var model = new KanNetwork([2, 1], gridSize: 3, seed: 1, engine: KanEngine.Reference);
        double[] inputs = Samples(50, 2, 3);
        model.FixSymbolic(new KanEdge(0, 1, 0), "x", fitParameters: false);
        model.SymbolicParameters[4 + 2] = 2.0; // c = 2: ψ = 2·x1
        var attribution = model.Attribute(inputs);

        // The edge's numeric branch is masked; its scale is the spread of ψ = 2·x1 alone.
        double mean = 0, squares = 0;
        for (int s = 0; s < 50; s++)
        {
            double v = 2 * inputs[2 * s + 1], delta = v - mean;
            mean += delta / (s + 1);
            squares += delta * (v - mean);
        }

        Assert.Equal(Math.Sqrt(squares / 49), attribution.EdgeActivationScale(new KanEdge(0, 1, 0)), 12);
        Assert.True(attribution.EdgeScore(new KanEdge(0, 1, 0)) > 0.0);
    }

    [Fact]
    public void Symbolic_edges_round_trip_exactly_through_a_model_file()
    {
        var model = new KanNetwork([2, 3, 1], gridSize: 4, seed: 5);
        Sampling.Randomize(model.Parameters, 8);
        SymbolicGradientTests.MakeMixed(model, 11);
        model.UnfixSymbolic(new KanEdge(1, 1, 0)); // leaves an affine behind with the zero function
        var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        var loaded = KanModel.Load(stream);
        Assert.True(loaded.HasSymbolicEdges);
        Assert.Equal(model.SymbolicParameters.ToArray(), loaded.SymbolicParameters.ToArray());
        for (int l = 0; l < 2; l++)
        {
            for (int i = 0; i < model.Widths[l]; i++)
            {
                for (int j = 0; j < model.Widths[l + 1]; j++)
                {
                    Assert.Equal(model.GetSymbolicEdge(new KanEdge(l, i, j)), loaded.GetSymbolicEdge(new KanEdge(l, i, j)));
                    Assert.Equal(model.GetSymbolicMask(new KanEdge(l, i, j)), loaded.GetSymbolicMask(new KanEdge(l, i, j)));
                    Assert.Equal(model.GetMask(new KanEdge(l, i, j)), loaded.GetMask(new KanEdge(l, i, j)));
                }
            }
        }

        var a = new double[1];
        var b = new double[1];
        model.Forward([0.2, -0.7], a);
        loaded.Forward([0.2, -0.7], b);
        Assert.Equal(a[0], b[0]);
    }

    [Fact]
    public void Custom_functions_must_be_registered_again_to_load()
    {
        var library = SymbolicLibrary.Default.AddSymbolic("cube_root", x => Math.Cbrt(x), x => 1.0 / (3.0 * Math.Cbrt(x * x)), 3, "cbrt({x})", "Math.Cbrt({x})", @"\sqrt[3]{{x}}");
        var model = new KanNetwork([1, 1], gridSize: 3, seed: 1) { SymbolicLibrary = library };
        model.FixSymbolic(new KanEdge(0, 0, 0), "cube_root", fitParameters: false);
        var stream = new MemoryStream();
        model.Save(stream);

        stream.Position = 0;
        var error = Assert.Throws<KanModelFileException>(() => KanModel.Load(stream));
        Assert.Contains("'cube_root'", error.Message, StringComparison.Ordinal);
        Assert.Contains("AddSymbolic", error.Message, StringComparison.Ordinal);

        stream.Position = 0;
        var loaded = KanModel.Load(stream, library);
        Assert.Equal(new SymbolicEdge("cube_root", 1, 0, 1, 0), loaded.GetSymbolicEdge(new KanEdge(0, 0, 0)));
        var y = new double[1];
        loaded.Forward([0.5], y);
        Assert.Equal(Math.Cbrt(0.5), y[0], 15);
    }

    [Fact]
    public void Pruned_subsets_keep_symbolic_edges()
    {
        var model = new KanNetwork([2, 3, 1], gridSize: 4, seed: 5, engine: KanEngine.Reference);
        SymbolicGradientTests.MakeMixed(model, 11);
        var subset = model.PruneNode([[0, 1]]);
        Assert.Equal(model.GetSymbolicEdge(new KanEdge(0, 1, 1)), subset.GetSymbolicEdge(new KanEdge(0, 1, 1)));
        Assert.Equal(model.GetSymbolicEdge(new KanEdge(1, 1, 0)), subset.GetSymbolicEdge(new KanEdge(1, 1, 0)));
        Assert.Equal(model.GetSymbolicMask(new KanEdge(0, 1, 0)), subset.GetSymbolicMask(new KanEdge(0, 1, 0)));
        Assert.True(subset.HasSymbolicEdges);
    }

    /// <summary>Grid updates see the node values the symbolic branch produces (pykan takes them from forward's acts).</summary>
    [Fact]
    public void UpdateGrid_sees_symbolic_node_values()
    {
        var model = new KanNetwork([1, 1, 1], gridSize: 4, seed: 1, engine: KanEngine.Reference);
        model.FixSymbolic(new KanEdge(0, 0, 0), "x", fitParameters: false);
        model.SymbolicParameters[2] = 3.0; // hidden = 3·x exactly
        double[] inputs = Samples(64, 1, 5);
        model.UpdateGrid(inputs);
        double low = 3 * inputs.Min(), high = 3 * inputs.Max();
        ReadOnlySpan<double> knots = model.GetKnots(1, 0);
        int k = model.SplineOrder;
        Assert.Equal(low, knots[k], 12);
        Assert.Equal(high, knots[k + model.GridSize], 12);
    }

    [Fact]
    public void Mixed_forward_allocates_nothing_after_warm_up()
    {
        // The compiled kernel's mixed path (the reference engine allocates, as it does for splines alone).
        var model = new KanNetwork([2, 3, 1], gridSize: 5, seed: 3);
        SymbolicGradientTests.MakeMixed(model, 5);
        double[] x = [0.1, -0.2];
        var y = new double[1];
        Assert.Equal(0, AllocationProbe.SteadyStateBytes(() => model.Forward(x, y), callsPerRound: 100, warmUpCalls: 1));
    }
}
