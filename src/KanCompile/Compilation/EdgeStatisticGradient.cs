using System.ComponentModel;

namespace KanCompile.Compilation;

/// <summary>
/// Extra gradient terms that a regulariser built from batch statistics adds to one sample's backward pass:
/// dL/dphi_e += EdgeWeight[e] * (phi_e - EdgeMean[e]) for every edge, and
/// dL/dx_n += NodeWeight[n] * (x_n - NodeMean[n]) for every node that feeds a layer.
/// This is exactly the shape of the derivative of a standard deviation, so the std-based sparsity
/// regulariser of pykan (§2.10) backpropagates through the compiled kernel without a second code path.
/// Default (empty spans): no extra terms. Public only because generated kernels take it.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly ref struct EdgeStatisticGradient
{
    /// <summary>Creates the extra terms; per-edge tables use the kernel's edge order, per-node tables its node order.</summary>
    public EdgeStatisticGradient(ReadOnlySpan<double> edgeWeight, ReadOnlySpan<double> edgeMean, ReadOnlySpan<double> nodeWeight, ReadOnlySpan<double> nodeMean)
    {
        EdgeWeight = edgeWeight;
        EdgeMean = edgeMean;
        NodeWeight = nodeWeight;
        NodeMean = nodeMean;
    }

    /// <summary>Per-edge weight of (phi - mean).</summary>
    public ReadOnlySpan<double> EdgeWeight { get; }

    /// <summary>Per-edge batch mean of phi.</summary>
    public ReadOnlySpan<double> EdgeMean { get; }

    /// <summary>Per-node weight of (x - mean).</summary>
    public ReadOnlySpan<double> NodeWeight { get; }

    /// <summary>Per-node batch mean of x.</summary>
    public ReadOnlySpan<double> NodeMean { get; }

    /// <summary>True when the terms are present.</summary>
    public bool IsActive => EdgeWeight.Length != 0;

    /// <summary>Throws when the tables do not match the kernel.</summary>
    public void Validate(int edgeCount, int nodeCount)
    {
        if (EdgeWeight.Length != edgeCount || EdgeMean.Length != edgeCount || NodeWeight.Length != nodeCount || NodeMean.Length != nodeCount)
        {
            throw new ArgumentException(
                $"Statistic gradient tables must have {edgeCount} edge and {nodeCount} node entries; got {EdgeWeight.Length}/{EdgeMean.Length} and {NodeWeight.Length}/{NodeMean.Length}.");
        }
    }
}
