using System.Text.Json;
using static KanCompile.Tests.Interpretability.AttributeFixture;

namespace KanCompile.Tests.Interpretability;

/// <summary>Attribution scores and prune() against pykan 0.2.8 (Golden/attribute.json): scores to 1e-11 relative, prune decisions exact.</summary>
public class AttributionGoldenTests
{
    private const double Tolerance = 1e-11;

    [Theory]
    [MemberData(nameof(CaseNames), MemberType = typeof(AttributeFixture))]
    public void Attribute_matches_pykan(string caseName)
    {
        JsonElement fixture = Case(caseName);
        KanNetwork model = Model(fixture.GetProperty("model"));
        KanAttribution attribution = model.Attribute(Samples());
        AssertScores(caseName, fixture, attribution);
    }

    [Theory]
    [MemberData(nameof(CaseNames), MemberType = typeof(AttributeFixture))]
    public void Prune_matches_pykan(string caseName)
    {
        JsonElement fixture = Case(caseName);
        JsonElement expected = fixture.GetProperty("prune");
        KanNetwork model = Model(fixture.GetProperty("model"));
        double[] samples = Samples();
        double nodeThreshold = expected.GetProperty("node_th").GetDouble(), edgeThreshold = expected.GetProperty("edge_th").GetDouble();

        KanAttribution attribution = model.Attribute(samples);
        int[][] keptNodes = Enumerable.Range(0, model.Depth).Select(l => l == 0 ? attribution.NodesAbove(0, double.NegativeInfinity) : attribution.NodesAbove(l, nodeThreshold)).ToArray();
        Assert.Equal(Doubles2Int(expected.GetProperty("kept_nodes")), keptNodes);

        KanNetwork afterNodes = model.PruneNode(samples, nodeThreshold);
        Assert.Equal(Ints(expected.GetProperty("width_after")), afterNodes.Widths);
        AssertScores(caseName + " after prune_node", expected.GetProperty("attribution_after_prune_node"), afterNodes.Attribute(samples));

        KanNetwork pruned = model.Prune(samples, nodeThreshold, edgeThreshold);
        Assert.Equal(Ints(expected.GetProperty("width_after")), pruned.Widths);
        double[][][] masks = Doubles3(expected.GetProperty("masks_after"));
        for (int l = 0; l < pruned.Depth; l++)
        {
            for (int i = 0; i < pruned.Widths[l]; i++)
            {
                for (int j = 0; j < pruned.Widths[l + 1]; j++)
                {
                    Assert.True(masks[l][i][j] == pruned.GetMask(new KanEdge(l, i, j)), $"{caseName}: mask ({l}, {i}→{j}) is {pruned.GetMask(new KanEdge(l, i, j))}, pykan {masks[l][i][j]}");
                }
            }
        }

        // The pruned model carries pykan's model_after tensors exactly (masks included).
        var reference = new KanNetwork(pruned.Widths.ToArray(), pruned.GridSize, pruned.SplineOrder, seed: 0);
        Write(reference, expected.GetProperty("model_after"));
        Assert.Equal(reference.Parameters.ToArray(), pruned.Parameters.ToArray());
        Assert.Equal(reference.MaskBuffer, pruned.MaskBuffer);

        // The original is left alone.
        Assert.Equal(fixture.GetProperty("model").GetProperty("width").GetArrayLength(), model.Widths.Count);
        Assert.All(model.MaskBuffer, mask => Assert.Equal(1.0, mask));
    }

    [Fact]
    public void Prune_of_the_weak_case_drops_old_hidden_node_1_and_masks_input_0_to_old_node_2()
    {
        KanNetwork model = Model(Case("weak_node_and_edge").GetProperty("model"));
        KanNetwork pruned = model.Prune(inputs: Samples());
        Assert.Equal(new[] { 2, 2, 1 }, pruned.Widths);
        Assert.Equal(0.0, pruned.GetMask(new KanEdge(0, 0, 1)));
        Assert.Equal(1.0, pruned.GetMask(new KanEdge(0, 1, 1)));
        Assert.Equal(model.GetKnots(0, 1).ToArray(), pruned.GetKnots(0, 1).ToArray());
    }

    private static void AssertScores(string label, JsonElement expected, KanAttribution actual)
    {
        double[][][] edgeScales = Doubles3(expected.GetProperty("edge_actscale"));
        double[][] subnodeScales = Doubles2(expected.GetProperty("subnode_actscale"));
        double[][] nodeScores = Doubles2(expected.GetProperty("node_scores"));
        double[][][] edgeScores = Doubles3(expected.GetProperty("edge_scores"));
        double[][] subnodeScores = Doubles2(expected.GetProperty("subnode_scores"));
        Assert.Equal(nodeScores.Length, actual.Depth + 1);
        for (int l = 0; l <= actual.Depth; l++)
        {
            for (int n = 0; n < actual.Widths[l]; n++)
            {
                Close(nodeScores[l][n], actual.NodeScore(l, n), $"{label}: node_scores[{l}][{n}]");
                Close(nodeScores[l][n], actual.NodeScores[l][n], $"{label}: NodeScores[{l}][{n}]");
            }
        }

        for (int l = 0; l < actual.Depth; l++)
        {
            for (int j = 0; j < actual.Widths[l + 1]; j++)
            {
                Close(subnodeScales[l][j], actual.SubnodeActivationScale(l, j), $"{label}: subnode_actscale[{l}][{j}]");
                Close(subnodeScores[l][j], actual.SubnodeScore(l, j), $"{label}: subnode_scores[{l}][{j}]");
                for (int i = 0; i < actual.Widths[l]; i++)
                {
                    Close(edgeScales[l][j][i], actual.EdgeActivationScale(new KanEdge(l, i, j)), $"{label}: edge_actscale[{l}][{j}][{i}]");
                    Close(edgeScores[l][j][i], actual.EdgeScore(new KanEdge(l, i, j)), $"{label}: edge_scores[{l}][{j}][{i}]");
                    Close(edgeScores[l][j][i], actual.EdgeScores[l][j * actual.Widths[l] + i], $"{label}: EdgeScores[{l}][{j}*in+{i}]");
                }
            }
        }

        for (int i = 0; i < actual.Widths[0]; i++)
        {
            Close(nodeScores[0][i], actual.FeatureScores[i], $"{label}: feature_score[{i}]");
        }
    }

    private static void Close(double expected, double actual, string what) =>
        Assert.True(Math.Abs(actual - expected) <= Tolerance * Math.Abs(expected), $"{what} is {actual:R}, pykan {expected:R} (relative error {Math.Abs(actual - expected) / Math.Abs(expected):E2})");

    private static int[][] Doubles2Int(JsonElement array) => array.EnumerateArray().Select(Ints).ToArray();
}
