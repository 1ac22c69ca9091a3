using KanCompile.Symbolic.Discovery;

namespace KanCompile.Tests.Symbolic.Discovery;

/// <summary>
/// Sparse readings of multiplication nodes (each input on one factor) and the shapes the search tries: structure
/// only, on small untrained or briefly trained models, so they run in milliseconds.
/// </summary>
public sealed class FactorSeparationTests
{
    private static SearchRows Rows(KanDataset data) => new(data.TrainInputs, data.TrainLabels, data.InputCount, data.OutputCount);

    [Fact]
    public void EachInputKeepsOneFactorAndTheAdditionNodeIsLeftAlone()
    {
        // [2,[1,1],1]: sub-node 0 is the addition node, sub-nodes 1 and 2 the factors of the multiplication node.
        var data = KanDataset.FromFunction(x => x[1] + x[0] * Math.Exp(-x[1]), 2, ranges: new[] { (-1.0, 1.0), (-1.0, 1.0) }, trainCount: 120, testCount: 20);
        var model = new KanNetwork([2, 1, 1], 5, 3, seed: 4, engine: KanEngine.Reference, multiplicationNodes: [0, 1, 0]);
        model.Fit(data, new FitOptions { Steps = 3 });
        var network = SearchNetwork.FromModel(model);

        var candidates = FactorSeparation.Candidates(network, Rows(data), 2);

        // Two inputs on two factors: a→u, b→v or a→v, b→u.
        Assert.Equal(2, candidates.Count);
        foreach (var separated in candidates)
        {
            for (int i = 0; i < 2; i++)
            {
                Assert.Equal(SearchEdgeKind.Spline, separated[0, i, 0].Kind);
                Assert.Equal(1, new[] { 1, 2 }.Count(j => separated[0, i, j].Kind == SearchEdgeKind.Spline));
            }

            Assert.NotEqual(separated[0, 0, 1].Kind, separated[0, 1, 1].Kind);
            Assert.True(separated.ParameterCount < network.ParameterCount);
        }

        // The original is not changed, and the same network gives the same list.
        Assert.Equal(0, network.Edges().Count(e => network[e.Layer, e.Input, e.Output].Kind == SearchEdgeKind.Zero));
        var again = FactorSeparation.Candidates(network, Rows(data), 2);
        Assert.Equal(candidates.Select(c => c.Describe()), again.Select(c => c.Describe()));
    }

    [Fact]
    public void NetworksWithoutMultiplicationOrAlreadySeparatedHaveNoCandidates()
    {
        var data = KanDataset.FromFunction(x => x[0] * x[1], 2, ranges: new[] { (-1.0, 1.0), (-1.0, 1.0) }, trainCount: 60, testCount: 20);
        var plain = SearchNetwork.FromModel(new KanNetwork([2, 2, 1], 5, 3, seed: 1, engine: KanEngine.Reference));
        Assert.Empty(FactorSeparation.Candidates(plain, Rows(data), 2));

        var model = new KanNetwork([2, 0, 1], 5, 3, seed: 1, engine: KanEngine.Reference, multiplicationNodes: [0, 1, 0]);
        model.SetMask(new KanEdge(0, 0, 1), 0.0);
        model.SetMask(new KanEdge(0, 1, 0), 0.0);
        Assert.Empty(FactorSeparation.Candidates(SearchNetwork.FromModel(model), Rows(data), 2));
    }

    [Fact]
    public void DeeperCompositionsAreTriedUnderEveryOutputTransformAfterTheShallowPlans()
    {
        var options = new FormulaSearchOptions();
        var plans = ShapeSearch.Plans(2, 1, options);
        var transforms = OutputTransform.For(options.Library);
        Assert.NotEmpty(transforms);
        foreach (var transform in transforms)
        {
            Assert.Contains(plans, p => p.Outer == transform && p.Shape == "[2,2,1]" && !p.Product);
            Assert.Contains(plans, p => p.Outer == transform && p.Shape == "[2,[1,1],1]");
        }

        // The shallow shapes still come first: the simplest formula that holds a law is found before deeper ones.
        int firstDeep = plans.ToList().FindIndex(p => p.Outer is not null && (p.Shape == "[2,[1,1],1]" || (p.Shape == "[2,2,1]" && !p.Product)));
        Assert.True(firstDeep > plans.ToList().FindLastIndex(p => p.Outer is null), string.Join("; ", plans));

        // Without multiplication nodes, none of the deep plans uses them.
        var plain = ShapeSearch.Plans(2, 1, options with { MaxMultiplicationNodes = 0 });
        Assert.DoesNotContain(plain, p => p.Multiplication is not null);
    }
}
