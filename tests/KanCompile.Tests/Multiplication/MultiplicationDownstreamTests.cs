using KanCompile.Symbolic;
using KanCompile.Tests.Support;
using KanCompile.Training;

namespace KanCompile.Tests.Multiplication;

/// <summary>
/// Everything after the kernels on models with multiplication nodes: the regularised objective's gradient,
/// attribution (pykan §2.11: a multiplication node's score reaches each of its sub-nodes), pruning (a multiplication
/// node keeps or drops all its sub-nodes), Refine, Save/Load, the symbolic formula (any arity) and ExportCSharp.
/// </summary>
public class MultiplicationDownstreamTests
{
    private static readonly FitOptions RegularizedOptions = new() { Lambda = 0.3, LambdaL1 = 1.0, LambdaEntropy = 2.0, LambdaCoef = 0.4, LambdaCoefDiff = 0.25 };

    private static KanDataset Products(int count, int seed) =>
        KanDataset.FromFunction(x => x[0] * x[1] + 0.5 * x[0], 2, trainCount: count, testCount: 8, seed: seed);

    private static (double Value, double[] Gradient) Objective(KanModel model, KanDataset data)
    {
        using var workers = new ChunkWorkers(2);
        var objective = new KanObjective(model, workers, 16, data.TestCount, RegularizedOptions, default) { Lambda = RegularizedOptions.Lambda, ComputeRegularization = true };
        objective.SetBatch(data.TrainInputs, data.TrainLabels, data.TrainCount);
        var gradient = new double[model.ParameterCount];
        return (objective.Evaluate(gradient), gradient);
    }

    private static KanNetwork Small(KanEngine engine = KanEngine.Reference, int seed = 3) =>
        new([2, 1, 1], gridSize: 4, seed: seed, engine: engine, multiplicationNodes: [0, 1, 0]);

    [Fact]
    public void Regularized_objective_gradient_matches_central_differences()
    {
        KanNetwork model = Small();
        var random = new Random(17);
        for (int p = 0; p < model.ParameterCount; p++)
        {
            model.Parameters[p] = 0.8 * (random.NextDouble() - 0.5);
        }

        KanDataset data = Products(40, 5);
        (_, double[] gradient) = Objective(model, data);
        double worst = CentralDifferences.WorstRelativeGap(model.Parameters, gradient, () => Objective(model, data).Value);

        Assert.True(worst <= 1e-7, $"largest relative difference from central differences: {worst:E2}");
    }

    [Fact]
    public void Generated_objective_equals_reference_objective()
    {
        (KanModel generated, KanNetwork reference) = ModelCase.Pair(new MultKan2x5m2x1(seed: 2), parameterSeed: 11);
        KanDataset data = Products(120, 6);
        (double value, double[] gradient) = Objective(generated, data);
        (double expectedValue, double[] expectedGradient) = Objective(reference, data);
        Assert.True(Math.Abs(value - expectedValue) <= 1e-12 * Math.Abs(expectedValue), $"objective {value:R} vs reference {expectedValue:R}");
        double scale = expectedGradient.Max(Math.Abs);
        for (int p = 0; p < gradient.Length; p++)
        {
            Assert.True(Math.Abs(gradient[p] - expectedGradient[p]) <= 1e-12 * scale, $"parameter {p}: {gradient[p]:R} vs reference {expectedGradient[p]:R}");
        }
    }

    [Fact]
    public void Attribution_copies_a_multiplication_node_score_to_each_factor()
    {
        // [1,[0,1],1], arity 2, linear edges: s0 = 2x, s1 = 3x, n = s0*s1 = 6x², y = n. By hand (pykan §2.11):
        // E(1,0,0) = std(n)/(std(n)+1e-4); both factor sub-nodes get that node score T; E(0,0,j) = std(s_j)·T/(std(s_j)+1e-4).
        var model = new KanNetwork([1, 0, 1], gridSize: 3, baseFunction: KanBaseFunction.Identity, multiplicationNodes: [0, 1, 0], engine: KanEngine.Reference);
        MultiplicationLayoutTests.SetLinear(model, 0, [[2.0, 3.0]]);
        MultiplicationLayoutTests.SetLinear(model, 1, [[1.0]]);
        double[] x = Enumerable.Range(0, 50).Select(s => -1.0 + 2.0 * s / 49).ToArray();
        KanAttribution attribution = model.Attribute(x);

        double nodeStd = Std(x.Select(v => 6 * v * v));
        double nodeScore = nodeStd / (nodeStd + 1e-4);
        Assert.Equal(nodeScore, attribution.NodeScore(1, 0), 12);
        Assert.Equal(nodeScore, attribution.SubnodeScore(0, 0), 12);
        Assert.Equal(nodeScore, attribution.SubnodeScore(0, 1), 12);
        double edge0 = Std(x.Select(v => 2 * v)), edge1 = Std(x.Select(v => 3 * v));
        Assert.Equal(edge0 * nodeScore / (edge0 + 1e-4), attribution.EdgeScore(new KanEdge(0, 0, 0)), 12);
        Assert.Equal(edge1 * nodeScore / (edge1 + 1e-4), attribution.EdgeScore(new KanEdge(0, 0, 1)), 12);
        Assert.Equal(attribution.EdgeScore(new KanEdge(0, 0, 0)) + attribution.EdgeScore(new KanEdge(0, 0, 1)), attribution.NodeScore(0, 0), 12);
        Assert.Equal(new[] { 1, 1, 1 }, attribution.Widths);
        Assert.Equal(new[] { 1, 2, 1 }, attribution.SubnodeWidths);
    }

    [Theory]
    [InlineData(new[] { 5 }, new[] { 2, 0, 1 }, new[] { 0, 1, 0 })]
    [InlineData(new[] { 2, 6 }, new[] { 2, 1, 1 }, new[] { 0, 1, 0 })]
    [InlineData(new[] { 0, 3 }, new[] { 2, 2, 1 }, new[] { 0, 0, 0 })]
    public void Pruning_keeps_or_drops_whole_multiplication_nodes(int[] kept, int[] widths, int[] multiplication)
    {
        var model = new MultKan2x5m2x1(seed: 4);
        Sampling.Randomize(model.Parameters, 7);
        KanNetwork pruned = model.PruneNode([kept]);
        Assert.Equal(widths, pruned.Widths);
        Assert.Equal(multiplication, pruned.MultiplicationNodes);

        // The original with every dropped node cut off computes what the pruned model computes.
        for (int node = 0; node < 7; node++)
        {
            if (!kept.Contains(node))
            {
                model.RemoveNode(1, node);
            }
        }

        var y = new double[1];
        var expected = new double[1];
        foreach (double[] x in Sampling.Inputs(model, 3, 30))
        {
            pruned.Forward(x, y);
            model.Forward(x, expected);
            Assert.True(Math.Abs(y[0] - expected[0]) <= 1e-12 * Math.Max(1, Math.Abs(expected[0])), $"pruned {y[0]} vs masked original {expected[0]}");
        }
    }

    [Fact]
    public void Prune_by_scores_keeps_the_multiplication_node_carrying_a_product()
    {
        // y = n5 exactly (the first multiplication node of [2,[5,2],1] multiplies x0 and x1); everything else is off.
        var model = new KanNetwork([2, 5, 1], gridSize: 3, baseFunction: KanBaseFunction.Identity, multiplicationNodes: [0, 2, 0], engine: KanEngine.Reference);
        model.Parameters.Clear();
        var weights = new double[2][] { new double[9], new double[9] };
        weights[0][5] = 1.0;
        weights[1][6] = 1.0;
        MultiplicationLayoutTests.SetLinear(model, 0, weights);
        MultiplicationLayoutTests.SetLinear(model, 1, Enumerable.Range(0, 7).Select(n => new[] { n == 5 ? 1.0 : 0.0 }).ToArray());
        double[] inputs = Sampling.Inputs(model, 9, 60).SelectMany(x => x).Select(v => Math.Clamp(v, -1, 1)).ToArray();
        KanNetwork pruned = model.Prune(inputs: inputs);
        Assert.Equal(new[] { 2, 0, 1 }, pruned.Widths);
        Assert.Equal(new[] { 0, 1, 0 }, pruned.MultiplicationNodes);
        var y = new double[1];
        pruned.Forward([0.3, -0.7], y);
        Assert.Equal(0.3 * -0.7, y[0], 14);
    }

    [Fact]
    public void Remove_node_masks_every_factor_of_a_multiplication_node()
    {
        var model = new MultKan2x5m2x1(seed: 1);
        model.RemoveNode(1, 6);
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 9; j++)
            {
                Assert.Equal(j is 7 or 8 ? 0.0 : 1.0, model.GetMask(new KanEdge(0, i, j)));
            }
        }

        Assert.Equal(0.0, model.GetMask(new KanEdge(1, 6, 0)));
        Assert.Equal(1.0, model.GetMask(new KanEdge(1, 5, 0)));
    }

    [Theory]
    [InlineData(KanEngine.Reference)]
    [InlineData(KanEngine.Compiled)]
    public void Refine_to_a_nested_grid_keeps_the_function(KanEngine engine)
    {
        // G = 4 → 8 on the same interval nests the knots, so least squares reproduces every spline exactly.
        KanNetwork model = Small(engine);
        double[] inputs = Sampling.Inputs(model, 4, 200).SelectMany(x => x).Select(v => Math.Clamp(v, -1, 1)).ToArray();
        double[] before = new double[200], after = new double[200];
        model.Predict(inputs, before);
        model.Refine(8, inputs);
        Assert.Equal(8, model.GridSize);
        model.Predict(inputs, after);
        for (int s = 0; s < 200; s++)
        {
            Assert.True(Math.Abs(after[s] - before[s]) <= 1e-10, $"sample {s}: {after[s]} after refine, {before[s]} before");
        }
    }

    [Fact]
    public void Update_grid_gives_the_same_model_on_both_engines()
    {
        KanNetwork compiled = Small(KanEngine.Compiled, seed: 5), reference = Small(KanEngine.Reference, seed: 5);
        double[] inputs = Sampling.Inputs(compiled, 6, 100).SelectMany(x => x).Select(v => Math.Clamp(v, -1, 1)).ToArray();
        compiled.UpdateGrid(inputs);
        reference.UpdateGrid(inputs);
        for (int n = 0; n < 3; n++)
        {
            Assert.Equal(reference.GetKnots(n == 0 ? 0 : 1, n == 0 ? 0 : n - 1).ToArray(), compiled.GetKnots(n == 0 ? 0 : 1, n == 0 ? 0 : n - 1).ToArray(), new Tolerance());
        }

        KernelAgreementCheck(compiled, reference);
    }

    [Fact]
    public void Save_and_load_round_trip_bit_for_bit_and_keep_plain_files_at_version_one()
    {
        var model = new KanNetwork([2, 5, 1], gridSize: 4, multiplicationNodes: [0, 2, 0], multiplicationArity: 3, engine: KanEngine.Reference);
        Sampling.Randomize(model.Parameters, 3);
        model.SetMask(new KanEdge(0, 1, 8), 0.0);
        using var stream = new MemoryStream();
        model.Save(stream);
        string json = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        Assert.Contains("\"version\": 2", json);
        Assert.Contains("\"mult_arity\": 3", json);
        stream.Position = 0;
        KanNetwork loaded = KanModel.Load(stream);
        Assert.Equal(new[] { 0, 2, 0 }, loaded.MultiplicationNodes);
        Assert.Equal(3, loaded.MultiplicationArity);
        Assert.Equal(model.Parameters.ToArray(), loaded.Parameters.ToArray());
        Assert.Equal(0.0, loaded.GetMask(new KanEdge(0, 1, 8)));
        var y = new double[1];
        var expected = new double[1];
        foreach (double[] x in Sampling.Inputs(model, 2, 20))
        {
            loaded.Forward(x, y);
            model.Forward(x, expected);

            // The loaded network runs the compiled kernel, the saved one the reference engine: equal to rounding.
            Assert.True(Sampling.RelativeError(y[0], expected[0]) <= 1e-12, $"loaded {y[0]} vs saved {expected[0]}");
        }

        using var plain = new MemoryStream();
        new KanNetwork([2, 3, 1], engine: KanEngine.Reference).Save(plain);
        string plainJson = System.Text.Encoding.UTF8.GetString(plain.ToArray());
        Assert.Contains("\"version\": 1", plainJson);
        Assert.DoesNotContain("mult_", plainJson);
    }

    [Fact]
    public void Loading_parameters_checks_the_multiplication_nodes()
    {
        var source = new KanNetwork([2, 5, 1], multiplicationNodes: [0, 2, 0], seed: 8, engine: KanEngine.Reference);
        using var stream = new MemoryStream();
        source.Save(stream);

        var generated = new MultKan2x5m2x1(seed: 1);
        stream.Position = 0;
        generated.LoadParameters(stream);
        Assert.Equal(source.Parameters.ToArray(), generated.Parameters.ToArray());

        var plain = new KanNetwork([2, 5, 1], engine: KanEngine.Reference);
        stream.Position = 0;
        var error = Assert.Throws<KanModelFileException>(() => plain.LoadParameters(stream));
        Assert.Contains("multiplication nodes [0, 2, 0]", error.Message);
    }

    [Fact]
    public void Formula_multiplies_sub_nodes_of_any_arity()
    {
        // Arity 3 with one addition node: y = (x1 + 1) + (2·x1)·(x1 − 0.5)·(3·x1); pykan's stride-2 indexing (issue #404)
        // would multiply the wrong sub-nodes here.
        var layer0 = new SymbolicLayer(1, 1, 1, 3);
        layer0.SetEdge(0, 0, "x", 1, 0, 1, 1);
        layer0.SetEdge(0, 1, "x", 1, 0, 2, 0);
        layer0.SetEdge(0, 2, "x", 1, 0, 1, -0.5);
        layer0.SetEdge(0, 3, "x", 1, 0, 3, 0);
        var layer1 = new SymbolicLayer(2, 1);
        layer1.SetEdge(0, 0, "x", 1, 0, 1, 0);
        layer1.SetEdge(1, 0, "x", 1, 0, 1, 0);
        var expression = SymbolicFormula.Compose([layer0, layer1])[0];
        foreach (double x in new[] { -0.7, 0.0, 0.4, 1.3 })
        {
            Assert.Equal((x + 1) + 2 * x * (x - 0.5) * 3 * x, expression.Evaluate([x]), 13);
        }

        Assert.Equal(4, layer0.OutputCount);
        Assert.Equal(2, layer0.NodeCount);
    }

    [Fact]
    public void Model_formula_and_exports_match_the_model()
    {
        // [1,[1,1],1] arity 3: every edge linear, fixed to 'x'; the formula, the formula export and the baked export
        // all compute the model.
        var model = new KanNetwork([1, 1, 1], gridSize: 3, baseFunction: KanBaseFunction.Identity, multiplicationNodes: [0, 1, 0], multiplicationArity: 3, engine: KanEngine.Reference);
        MultiplicationLayoutTests.SetLinear(model, 0, [[0.5, 2.0, -1.0, 3.0]]);
        MultiplicationLayoutTests.SetLinear(model, 1, [[1.5], [0.25]]);
        double[] samples = Enumerable.Range(0, 40).Select(s => -1.0 + 2.0 * s / 39).ToArray();

        var baked = InProcessCompiler.CompileSpanEvaluate(model.ExportCSharp("MultBaked", "Exported"), "Exported.MultBaked");
        var y = new double[1];
        var exported = new double[1];
        foreach (double x in samples)
        {
            model.Forward([x], y);
            baked([x], exported);
            Assert.Equal(y[0], exported[0]);
        }

        model.AutoSymbolic(samples, SymbolicLibrary.Create("x"));
        KanFormula formula = model.SymbolicFormula();
        var fromFormula = InProcessCompiler.CompileSpanEvaluate(model.ExportCSharp("MultFormula", "Exported"), "Exported.MultFormula");
        foreach (double x in samples)
        {
            double expected = 1.5 * (0.5 * x) + 0.25 * (2.0 * x) * (-1.0 * x) * (3.0 * x);
            model.Forward([x], y);
            Assert.Equal(expected, y[0], 12);
            var value = new double[1];
            formula.Evaluate([x], value);
            Assert.Equal(expected, value[0], 12);
            fromFormula([x], exported);
            Assert.Equal(expected, exported[0], 12);
        }
    }

    private static void KernelAgreementCheck(KanNetwork compiled, KanNetwork reference)
    {
        Assert.Equal(reference.Parameters.ToArray(), compiled.Parameters.ToArray(), new Tolerance());
    }

    private static double Std(IEnumerable<double> values)
    {
        double[] v = values.ToArray();
        double mean = v.Average();
        return Math.Sqrt(v.Sum(a => (a - mean) * (a - mean)) / (v.Length - 1));
    }

    /// <summary>Equal to 1e-12 relative.</summary>
    private sealed class Tolerance : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= 1e-12 * Math.Max(1.0, Math.Abs(y));

        public int GetHashCode(double obj) => 0;
    }
}
