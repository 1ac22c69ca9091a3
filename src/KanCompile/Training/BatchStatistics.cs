using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using KanCompile.Generators.Emit;

namespace KanCompile.Training;

/// <summary>
/// Batch mean and unbiased standard deviation of every edge activation φ and every node value. A chunk takes its
/// samples a block of traced rows at a time: the block's mean, then its sum of squared deviations from that mean
/// (two passes over rows that are still in cache), merged into the chunk's running values with Chan's formula; the
/// chunks are merged in chunk order the same way. Numerically careful (no E[x²]−E[x]² cancellation), deterministic
/// for a fixed chunking and block size, and element-wise over the values, so the sums run four values to a vector:
/// every operation is a correctly rounded addition, subtraction, multiplication or division (nothing fused), so a
/// host without vectors, which takes the values one at a time, gets the same bits.
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

    /// <summary>
    /// Adds <paramref name="rows"/> traced samples to a chunk: row s of <paramref name="nodeRows"/> holds sample s's
    /// node values (NodeCount wide), row s of <paramref name="edgeRows"/> its edge activations (EdgeCount wide).
    /// </summary>
    public void AddRows(int chunk, ReadOnlySpan<double> nodeRows, ReadOnlySpan<double> edgeRows, int rows)
    {
        if (rows <= 0)
        {
            return;
        }

        int before = _chunkCounts[chunk * CachePad];
        Span<double> data = _chunks[chunk];
        AddBlock(data.Slice(0, _edges), data.Slice(_edges, _edges), edgeRows.Slice(0, rows * _edges), rows, before);
        AddBlock(data.Slice(2 * _edges, _nodes), data.Slice(2 * _edges + _nodes, _nodes), nodeRows.Slice(0, rows * _nodes), rows, before);
        _chunkCounts[chunk * CachePad] = before + rows;
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

    /// <summary>
    /// One block of rows (each <paramref name="mean"/>.Length wide) into running mean and M2 over <paramref name="before"/>
    /// samples: per value, the block's mean, its squared deviations from it, then Chan's update. Four values at a time
    /// where vectors are accelerated, one at a time otherwise, with the same operations per value (the same bits).
    /// </summary>
    private static void AddBlock(Span<double> mean, Span<double> m2, ReadOnlySpan<double> rowData, int rows, int before)
    {
        int width = mean.Length;
        double total = before + rows;
        double weight = rows / total;
        double cross = (double)before * rows / total;
        ref double data = ref MemoryMarshal.GetReference(rowData);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var count = Vector256.Create((double)rows);
            for (; i + 4 <= width; i += 4)
            {
                ref double column = ref Unsafe.Add(ref data, i);
                Vector256<double> sum = Vector256.LoadUnsafe(ref column);
                for (int r = 1; r < rows; r++)
                {
                    sum += Vector256.LoadUnsafe(ref column, (nuint)(r * width));
                }

                Vector256<double> blockMean = sum / count;
                Vector256<double> blockM2 = Vector256<double>.Zero;
                for (int r = 0; r < rows; r++)
                {
                    Vector256<double> deviation = Vector256.LoadUnsafe(ref column, (nuint)(r * width)) - blockMean;
                    blockM2 += deviation * deviation;
                }

                ref double runningMean = ref Unsafe.Add(ref MemoryMarshal.GetReference(mean), i);
                ref double runningM2 = ref Unsafe.Add(ref MemoryMarshal.GetReference(m2), i);
                if (before == 0)
                {
                    blockMean.StoreUnsafe(ref runningMean);
                    blockM2.StoreUnsafe(ref runningM2);
                    continue;
                }

                Vector256<double> oldMean = Vector256.LoadUnsafe(ref runningMean);
                Vector256<double> delta = blockMean - oldMean;
                (oldMean + delta * Vector256.Create(weight)).StoreUnsafe(ref runningMean);
                (Vector256.LoadUnsafe(ref runningM2) + (blockM2 + delta * delta * Vector256.Create(cross))).StoreUnsafe(ref runningM2);
            }
        }

        for (; i < width; i++)
        {
            double sum = Unsafe.Add(ref data, i);
            for (int r = 1; r < rows; r++)
            {
                sum += Unsafe.Add(ref data, r * width + i);
            }

            double blockMean = sum / rows;
            double blockM2 = 0.0;
            for (int r = 0; r < rows; r++)
            {
                double deviation = Unsafe.Add(ref data, r * width + i) - blockMean;
                blockM2 += deviation * deviation;
            }

            if (before == 0)
            {
                mean[i] = blockMean;
                m2[i] = blockM2;
                continue;
            }

            double delta = blockMean - mean[i];
            mean[i] += delta * weight;
            m2[i] += blockM2 + delta * delta * cross;
        }
    }

    private static void Combine(Span<double> mean, Span<double> m2, ReadOnlySpan<double> chunkMean, ReadOnlySpan<double> chunkM2, int count, int chunkCount)
    {
        if (count == 0)
        {
            // The first block: its own values (Chan's formula gives the same up to rounding).
            chunkMean.CopyTo(mean);
            chunkM2.CopyTo(m2);
            return;
        }

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
