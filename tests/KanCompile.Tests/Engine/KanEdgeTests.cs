using KanCompile.Symbolic;

namespace KanCompile.Tests.Engine;

/// <summary>The edge value type: pykan's (l,i,j) notation, the model's edge list, and one clear error per bad part.</summary>
public sealed class KanEdgeTests
{
    // [2, 3 + 1 mult (arity 2), 1]: layer 0 has 2 inputs → 5 sub-nodes; layer 1 has 4 nodes → 1 output.
    private static KanNetwork Model() => new(new[] { 2, 3, 1 }, gridSize: 3, seed: 1, engine: KanEngine.Reference, multiplicationNodes: new[] { 0, 1, 0 });

    [Fact]
    public void Edges_ListsEveryEdgeInKernelOrder()
    {
        var model = Model();
        Assert.Equal(2 * 5 + 4 * 1, model.Edges.Count);
        Assert.Equal(new KanEdge(0, 0, 0), model.Edges[0]);
        Assert.Equal(new KanEdge(0, 0, 4), model.Edges[4]);
        Assert.Equal(new KanEdge(0, 1, 0), model.Edges[5]);
        Assert.Equal(new KanEdge(1, 3, 0), model.Edges[^1]);
        Assert.Equal("(1,3,0)", model.Edges[^1].ToString());
        Assert.All(model.Edges, edge => Assert.Equal(1.0, model.GetMask(edge)));
    }

    [Theory]
    [InlineData(2, 0, 0, "Edge (2,0,0): layer 2 does not exist; the model has 2 layers of edges (0 to 1).")]
    [InlineData(-1, 0, 0, "Edge (-1,0,0): layer -1 does not exist; the model has 2 layers of edges (0 to 1).")]
    [InlineData(0, 2, 0, "Edge (0,2,0): input 2 does not exist; layer 0 has 2 input nodes (0 to 1).")]
    [InlineData(0, 0, 5, "Edge (0,0,5): output 5 does not exist; layer 0 has 5 output (sub-)nodes (0 to 4).")]
    [InlineData(1, 4, 0, "Edge (1,4,0): input 4 does not exist; layer 1 has 4 input nodes (0 to 3).")]
    public void OutOfRangeEdge_NamesThePart(int layer, int input, int output, string message)
    {
        var model = Model();
        var edge = new KanEdge(layer, input, output);
        var attribution = model.Attribute(new double[] { 0.1, 0.2, -0.3, 0.4, 0.5, -0.6 });
        foreach (Action call in new Action[]
        {
            () => model.GetMask(edge),
            () => model.SetMask(edge, 0.0),
            () => model.RemoveEdge(edge),
            () => model.GetSymbolicMask(edge),
            () => model.SetSymbolicMode(edge, SymbolicMode.Both),
            () => model.FixSymbolic(edge, "x", fitParameters: false),
            () => attribution.EdgeScore(edge),
            () => attribution.EdgeActivationScale(edge),
        })
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(call);
            Assert.Equal("edge", error.ParamName);
            Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        }
    }
}
