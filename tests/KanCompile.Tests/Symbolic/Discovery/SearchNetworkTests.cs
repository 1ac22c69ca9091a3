using KanCompile.Symbolic;
using KanCompile.Symbolic.Discovery;

namespace KanCompile.Tests.Symbolic.Discovery;

/// <summary>The search's own network: same outputs as the model it copies, exact gradients, and LM to machine precision.</summary>
public sealed class SearchNetworkTests
{
    [Fact]
    public void SplineNetworkComputesWhatTheModelComputes()
    {
        var data = KanDataset.FromFunction(x => Math.Sin(x[0]) * x[1], 2, ranges: new[] { (-1.0, 1.0), (-1.0, 1.0) }, trainCount: 200, testCount: 50);
        var model = new KanNetwork([2, 3, 1], 5, 3, seed: 2, engine: KanEngine.Reference);
        model.Fit(data, new FitOptions { Steps = 3 });
        model.SetMask(new KanEdge(0, 1, 2), 0.0);
        AssertForwardMatchesPredict(model, data);
    }

    [Fact]
    public void MultiplicationNetworkComputesWhatTheModelComputes()
    {
        // [2,[1,1],1]: one addition and one multiplication node (two sub-nodes) in the hidden layer.
        var data = KanDataset.FromFunction(x => Math.Sin(x[0]) * x[1] + x[1], 2, ranges: new[] { (-1.0, 1.0), (-1.0, 1.0) }, trainCount: 200, testCount: 50);
        var model = new KanNetwork([2, 1, 1], 5, 3, seed: 3, engine: KanEngine.Reference, multiplicationNodes: [0, 1, 0]);
        model.Fit(data, new FitOptions { Steps = 3 });
        model.SetMask(new KanEdge(0, 0, 2), 0.0);
        var network = AssertForwardMatchesPredict(model, data);
        Assert.Equal([2, 2, 1], network.Widths);
        Assert.Equal([2, 3, 1], network.SubnodeWidths);
    }

    /// <summary>The search network copied from <paramref name="model"/> gives Predict's output on 20 test rows.</summary>
    private static SearchNetwork AssertForwardMatchesPredict(KanNetwork model, KanDataset data)
    {
        var network = SearchNetwork.FromModel(model);
        var nodes = network.CreateNodeBuffers();
        var output = new double[1];
        for (int s = 0; s < 20; s++)
        {
            var row = data.TestInputs.AsSpan(2 * s, 2);
            model.Predict(row, output);
            network.Forward(row, nodes);
            Assert.Equal(output[0], nodes[^1][0], 1e-12);
        }
        return network;
    }

    [Fact]
    public void MultiplicationGradientMatchesFiniteDifferences()
    {
        var model = new KanNetwork([2, 1, 1], 5, 3, seed: 4, engine: KanEngine.Reference, multiplicationNodes: [0, 1, 0]);
        var network = SearchNetwork.FromModel(model);
        network[0, 0, 1] = SearchEdge.Symbolic(SymbolicLibrary.Default.Get("sin"), 1.3, 0.2, 0.7, -0.1);
        network[1, 1, 0] = SearchEdge.Symbolic(SymbolicLibrary.Default.Get("exp"), 0.5, -0.3, 1.1, 0.4);
        AssertGradientMatchesFiniteDifferences(network, [0.37, -0.58]);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        var model = new KanNetwork([2, 2, 1], 5, 3, seed: 4, engine: KanEngine.Reference);
        var network = SearchNetwork.FromModel(model);
        network[1, 0, 0] = SearchEdge.Symbolic(SymbolicLibrary.Default.Get("sin"), 1.3, 0.2, 0.7, -0.1);
        network[0, 1, 1] = SearchEdge.Symbolic(SymbolicLibrary.Default.Get("exp"), 0.5, -0.3, 1.1, 0.4);
        AssertGradientMatchesFiniteDifferences(network, [0.37, -0.58]);
    }

    private static void AssertGradientMatchesFiniteDifferences(SearchNetwork network, double[] input)
    {
        int p = network.ParameterCount;
        var theta = new double[p];
        network.ReadParameters(theta);
        var row = new double[p];
        network.Gradient(input, 0, network.CreateNodeBuffers(), network.CreateNodeBuffers(), row);
        var nodes = network.CreateNodeBuffers();
        for (int k = 0; k < p; k++)
        {
            const double h = 1e-6;
            double saved = theta[k];
            theta[k] = saved + h;
            network.WriteParameters(theta);
            network.Forward(input, nodes);
            double up = nodes[^1][0];
            theta[k] = saved - h;
            network.WriteParameters(theta);
            network.Forward(input, nodes);
            double down = nodes[^1][0];
            theta[k] = saved;
            network.WriteParameters(theta);
            Assert.Equal((up - down) / (2 * h), row[k], 1e-6);
        }
    }

    [Fact]
    public void LevenbergMarquardtReachesMachinePrecisionOnAnExactForm()
    {
        // y = 2·sin(3x − 0.5) + 1, started from a nearby affine.
        var x = Enumerable.Range(0, 200).Select(k => -1 + 2.0 * k / 199).ToArray();
        var y = x.Select(v => 2 * Math.Sin(3 * v - 0.5) + 1).ToArray();
        var network = SearchNetwork.SingleEdge(SearchEdge.Symbolic(SymbolicLibrary.Default.Get("sin"), 2.7, -0.3, 1.6, 0.8));
        double rmse = SearchNetworkFitting.Train(network, new SearchRows(x, y, 1, 1), 100);
        Assert.True(rmse < 1e-12, $"rmse {rmse}");
    }
}
