using KanCompile.Generators.Emit;

namespace KanCompile.Training;

/// <summary>
/// Batch mean and unbiased standard deviation of every edge activation φ and every node value, gathered
/// chunk by chunk with Welford's update and merged in chunk order with Chan's formula — numerically careful
/// (no E[x²]−E[x]² cancellation) and deterministic for a fixed chunking.
/// </summary>
internal sealed class BatchStatistics
{
    private readonly int _edges;
    private readonly int _nodes;

    // Per chunk, one array: [edge mean | edge M2 | node mean | node M2], each chunk its own array (no false sharing).
    private readonly double[][] _chunks;
    private readonly int[] _chunkCounts;

    public BatchStatistics(KernelLayout layout, int maxChunks)
    {
        _edges = layout.EdgeCount;
        _nodes = layout.NodeCount;
        _chunks = new double[maxChunks][];
        for (int c = 0; c < maxChunks; c++)
        {
            _chunks[c] = new double[2 * (_edges + _nodes) + 8]; // tail padding: no shared cache line between chunks
        }

        _chunkCounts = new int[maxChunks * CachePad];
        EdgeMean = new double[_edges];
        EdgeStd = new double[_edges];
        NodeMean = new double[_nodes];
        NodeStd = new double[_nodes];
    }

    /// <summary>Padding (in ints) between the chunks' sample counts so threads do not share a cache line.</summary>
    private const int CachePad = 16;

    public double[] EdgeMean { get; }

    public double[] EdgeStd { get; }

    public double[] NodeMean { get; }

    public double[] NodeStd { get; }

    /// <summary>Samples in the merged statistics.</summary>
    public int Count { get; private set; }

    public void ResetChunk(int chunk)
    {
        _chunks[chunk].AsSpan().Clear();
        _chunkCounts[chunk * CachePad] = 0;
    }

    /// <summary>Adds one traced sample to a chunk (Welford).</summary>
    public void Add(int chunk, ReadOnlySpan<double> nodeValues, ReadOnlySpan<double> edgeValues)
    {
        int n = ++_chunkCounts[chunk * CachePad];
        double inverse = 1.0 / n;
        Span<double> data = _chunks[chunk];
        Update(data.Slice(0, _edges), data.Slice(_edges, _edges), edgeValues, inverse);
        Update(data.Slice(2 * _edges, _nodes), data.Slice(2 * _edges + _nodes, _nodes), nodeValues, inverse);
    }

    /// <summary>Merges chunks 0..<paramref name="chunkCount"/>-1 in order and finishes mean and unbiased std.</summary>
    public void Merge(int chunkCount)
    {
        Span<double> edgeM2 = EdgeStd, nodeM2 = NodeStd;
        EdgeMean.AsSpan().Clear();
        NodeMean.AsSpan().Clear();
        edgeM2.Clear();
        nodeM2.Clear();
        int total = 0;
        for (int c = 0; c < chunkCount; c++)
        {
            int n = _chunkCounts[c * CachePad];
            if (n == 0)
            {
                continue;
            }

            ReadOnlySpan<double> data = _chunks[c];
            Combine(EdgeMean, edgeM2, data.Slice(0, _edges), data.Slice(_edges, _edges), total, n);
            Combine(NodeMean, nodeM2, data.Slice(2 * _edges, _nodes), data.Slice(2 * _edges + _nodes, _nodes), total, n);
            total += n;
        }

        Count = total;
        double denominator = total - 1;
        for (int e = 0; e < _edges; e++)
        {
            EdgeStd[e] = Math.Sqrt(Math.Max(edgeM2[e], 0.0) / denominator);
        }

        for (int v = 0; v < _nodes; v++)
        {
            NodeStd[v] = Math.Sqrt(Math.Max(nodeM2[v], 0.0) / denominator);
        }
    }

    private static void Update(Span<double> mean, Span<double> m2, ReadOnlySpan<double> values, double inverse)
    {
        for (int i = 0; i < values.Length; i++)
        {
            double delta = values[i] - mean[i];
            mean[i] += delta * inverse;
            m2[i] += delta * (values[i] - mean[i]);
        }
    }

    private static void Combine(Span<double> mean, Span<double> m2, ReadOnlySpan<double> chunkMean, ReadOnlySpan<double> chunkM2, int count, int chunkCount)
    {
        double total = count + chunkCount;
        double weight = chunkCount / total;
        double cross = (double)count * chunkCount / total;
        for (int i = 0; i < mean.Length; i++)
        {
            double delta = chunkMean[i] - mean[i];
            mean[i] += delta * weight;
            m2[i] += chunkM2[i] + delta * delta * cross;
        }
    }
}
