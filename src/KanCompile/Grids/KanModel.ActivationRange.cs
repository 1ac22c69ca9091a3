namespace KanCompile;

public abstract partial class KanModel
{
    /// <summary>
    /// For each sample of <paramref name="inputs"/>: true when, at every node that feeds splines (the inputs and
    /// every hidden node), its activation lies within the range [min, max] that the
    /// <paramref name="reference"/> samples (usually the training inputs) reach at that node.
    /// <para>
    /// Fit places each node's grid on exactly that range (pykan's grid update, no margin), so a sample outside
    /// it is extrapolated: with <see cref="KanBeyondGrid.Pykan"/> in the padding zone, k·h wide with h = range/G,
    /// where the B-spline basis no longer sums to 1 and the spline decays to 0 (an error that grows with G); with
    /// <see cref="KanBeyondGrid.Smooth"/> along each spline's boundary tangent. Test errors of interpolating and
    /// extrapolating samples are best reported apart.
    /// </para>
    /// </summary>
    /// <param name="inputs">Row-major samples to classify (a non-finite activation counts as outside).</param>
    /// <param name="reference">Row-major samples that define the range (at least 2).</param>
    /// <returns>One flag per sample of <paramref name="inputs"/>.</returns>
    public bool[] WithinActivationRange(ReadOnlySpan<double> inputs, ReadOnlySpan<double> reference)
    {
        int referenceCount = CountGridSamples(reference, nameof(reference));
        int count = SampleBatch.Count(inputs, InputCount, nameof(inputs));
        var layout = _layout;
        int nodeCount = layout.NodeCount, splineNodes = layout.NodeOffset[Depth];
        var handle = new KanKernelHandle(Kernel, layout, _parameters, _knotTable);

        var nodes = new double[referenceCount * nodeCount];
        TraceSamples(handle, reference, referenceCount, nodes, null);
        var low = new double[splineNodes];
        var high = new double[splineNodes];
        low.AsSpan().Fill(double.PositiveInfinity);
        high.AsSpan().Fill(double.NegativeInfinity);
        for (int s = 0; s < referenceCount; s++)
        {
            for (int v = 0; v < splineNodes; v++)
            {
                double value = nodes[s * nodeCount + v];
                low[v] = Math.Min(low[v], value);
                high[v] = Math.Max(high[v], value);
            }
        }

        nodes = new double[count * nodeCount];
        TraceSamples(handle, inputs, count, nodes, null);
        var within = new bool[count];
        for (int s = 0; s < count; s++)
        {
            bool inside = true;
            for (int v = 0; v < splineNodes && inside; v++)
            {
                double value = nodes[s * nodeCount + v];
                inside = value >= low[v] && value <= high[v];
            }

            within[s] = inside;
        }

        return within;
    }
}
