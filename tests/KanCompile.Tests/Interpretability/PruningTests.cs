using KanCompile.Tests.Models;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Interpretability;

/// <summary>Attribution and pruning behaviour beyond the pykan fixture: defaults, errors, dead parts and input pruning.</summary>
public class PruningTests
{
    private static double[] Samples(int inputs, int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, inputs * count).Select(_ => random.NextDouble() * 2 - 1).ToArray();
    }

    [Fact]
    public void Attribute_without_inputs_needs_a_fit()
    {
        var model = new KanNetwork(new[] { 2, 3, 1 });
        var error = Assert.Throws<InvalidOperationException>(() => model.Attribute());
        Assert.Contains("LastFitInputs", error.Message);
        Assert.Throws<InvalidOperationException>(() => model.Prune());
    }

    [Fact]
    public void Attribute_defaults_to_the_last_fit_inputs()
    {
        var model = new KanNetwork(new[] { 2, 3, 1 }, seed: 4);
        double[] samples = Samples(2, 50, 1);
        model.LastFitInputs = samples;
        KanAttribution byDefault = model.Attribute();
        KanAttribution explicitly = model.Attribute(samples);
        Assert.Equal(explicitly.NodeScores.SelectMany(s => s), byDefault.NodeScores.SelectMany(s => s));
        Assert.Equal(explicitly.FeatureScores, model.FeatureScores());
        Assert.Equal(50, byDefault.SampleCount);
    }

    [Fact]
    public void A_generated_model_attributes_like_the_reference_engine()
    {
        (KanModel generated, KanNetwork reference) = ModelCase.Pair(new Quad342K2(seed: 3), parameterSeed: 7);
        generated.RemoveEdge(new KanEdge(0, 2, 1));
        reference.RemoveEdge(new KanEdge(0, 2, 1));
        double[] samples = Samples(3, 80, 2);
        KanAttribution actual = generated.Attribute(samples), expected = reference.Attribute(samples);
        for (int l = 0; l <= actual.Depth; l++)
        {
            for (int n = 0; n < actual.Widths[l]; n++)
            {
                Assert.True(Sampling.RelativeError(actual.NodeScore(l, n), expected.NodeScore(l, n)) <= 1e-12, $"node ({l}, {n})");
            }
        }

        Assert.Equal(0.0, actual.EdgeScore(new KanEdge(0, 2, 1)));
        Assert.Equal(reference.Prune(inputs: samples).Widths, generated.Prune(inputs: samples).Widths);
    }

    [Fact]
    public void Attribute_rejects_batches_it_cannot_take_a_spread_of()
    {
        var model = new KanNetwork(new[] { 2, 1 });
        Assert.Contains("hold 1 sample; attribution (a standard deviation over samples) needs at least 2", Assert.Throws<ArgumentException>(() => model.Attribute(new[] { 0.1, 0.2 })).Message);
        Assert.Contains("hold 3 values, not a multiple of 2", Assert.Throws<ArgumentException>(() => model.Attribute(new[] { 0.1, 0.2, 0.3 })).Message);
        Assert.Contains("Sample 1, column 0 of the inputs is NaN", Assert.Throws<ArgumentException>(() => model.Attribute(new[] { 0.1, 0.2, double.NaN, 0.3 })).Message);
    }

    [Fact]
    public void A_dead_hidden_node_is_pruned_and_the_outputs_do_not_change()
    {
        var model = new KanNetwork(new[] { 3, 4, 2 }, seed: 2);
        double[] samples = Samples(3, 64, 5);
        model.LastFitInputs = samples;
        model.RemoveNode(1, 2);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(0.0, model.GetMask(new KanEdge(0, i, 2)));
        }

        Assert.Equal(0.0, model.GetMask(new KanEdge(1, 2, 0)));
        Assert.Equal(0.0, model.Attribute().NodeScore(1, 2));

        KanNetwork pruned = model.PruneNode();
        Assert.Equal(new[] { 3, 3, 2 }, pruned.Widths);
        Assert.Equal(samples, pruned.LastFitInputs);
        var expected = new double[64 * 2];
        var actual = new double[64 * 2];
        model.Predict(samples, expected);
        pruned.Predict(samples, actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void PruneNode_with_explicit_nodes_copies_their_tensors()
    {
        var model = new KanNetwork(new[] { 2, 3, 2 }, seed: 9);
        Sampling.Randomize(model.Parameters, 3);
        model.RemoveEdge(new KanEdge(0, 1, 2));
        KanNetwork pruned = model.PruneNode(new[] { new[] { 0, 2 } });
        Assert.Equal(new[] { 2, 2, 2 }, pruned.Widths);
        Assert.Equal(0.0, pruned.GetMask(new KanEdge(0, 1, 1)));
        Assert.Equal(1.0, pruned.GetMask(new KanEdge(0, 1, 0)));
        var x = new[] { 0.3, -0.6 };
        var traceFull = Trace(model, x);
        var tracePruned = Trace(pruned, x);
        Assert.Equal(traceFull.Nodes[2], tracePruned.Nodes[2]);
        Assert.Equal(traceFull.Nodes[4], tracePruned.Nodes[3]);
        Assert.Throws<ArgumentException>(() => model.PruneNode(new[] { new[] { 2, 0 } }));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.PruneNode(new[] { new[] { 3 } }));
    }

    [Fact]
    public void Pruning_every_hidden_node_is_refused()
    {
        var model = new KanNetwork(new[] { 2, 2, 1 }, seed: 1);
        var error = Assert.Throws<InvalidOperationException>(() => model.PruneNode(Samples(2, 20, 3), 10.0));
        Assert.Contains("hidden layer 1", error.Message);
    }

    [Fact]
    public void PruneEdge_masks_the_edges_below_the_threshold_in_place()
    {
        var model = new KanNetwork(new[] { 2, 3, 1 }, seed: 6);
        double[] samples = Samples(2, 40, 8);
        KanAttribution attribution = model.Attribute(samples);
        double threshold = attribution.EdgeScores[0].OrderBy(s => s).ElementAt(2);
        model.PruneEdge(attribution, threshold);
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                Assert.Equal(attribution.EdgeScore(new KanEdge(0, i, j)) > threshold ? 1.0 : 0.0, model.GetMask(new KanEdge(0, i, j)));
            }
        }

        Assert.Throws<ArgumentException>(() => new KanNetwork(new[] { 2, 2, 1 }).PruneEdge(attribution));
    }

    [Fact]
    public void PruneInput_drops_a_dead_input_and_still_takes_full_rows()
    {
        var model = new KanNetwork(new[] { 3, 3, 1 }, seed: 3);
        model.RemoveNode(0, 1);
        double[] samples = Samples(3, 30, 4);
        model.LastFitInputs = samples;
        Assert.Equal(0.0, model.FeatureScores()[1]);

        KanInputPruning result = model.PruneInput();
        Assert.Equal(new[] { 0, 2 }, result.InputIds);
        Assert.Equal(new[] { 2, 3, 1 }, result.Model.Widths);
        Assert.Equal(3, result.OriginalInputCount);
        Assert.Equal(samples.Where((_, v) => v % 3 != 1), result.Model.LastFitInputs!);

        var expected = new double[30];
        var actual = new double[30];
        model.Predict(samples, expected);
        result.Predict(samples, actual);
        Assert.Equal(expected, actual);
    }

    private static (double[] Nodes, double[] Edges) Trace(KanModel model, double[] x)
    {
        var nodes = new double[model.Layout.NodeCount];
        var edges = new double[model.Layout.EdgeCount];
        var splines = new double[model.Layout.EdgeCount];
        model.Kernel.Trace(x, model.ParameterBuffer, model.KnotTable, model.MaskBuffer, nodes, edges, splines);
        return (nodes, edges);
    }
}
