using System.Numerics.Tensors;
using KanCompile.Generators.Emit;

namespace KanCompile;

public abstract partial class KanModel
{
    /// <summary>pykan's damping of the sub-node spread in <c>attribute()</c>: E = A·S / (σ + 1e-4).</summary>
    private const double SubnodeScaleDamping = 1e-4;

    /// <summary>
    /// Attribution scores on <paramref name="inputs"/> (row-major samples, at least two) — pykan's
    /// <c>attribute()</c> after a forward on those samples (kan-math §2.11).
    /// </summary>
    public KanAttribution Attribute(ReadOnlySpan<double> inputs)
    {
        RequireSamples(inputs, nameof(Attribute));
        int count = CheckSampleBatch(inputs, nameof(inputs));
        var (edgeScales, subnodeScales) = ActivationScales(inputs, count);
        return ScoresFromScales(count, edgeScales, subnodeScales);
    }

    /// <summary>
    /// As <see cref="Attribute(ReadOnlySpan{double})"/> on <see cref="LastFitInputs"/>, the last fit's training
    /// inputs — pykan's <c>attribute()</c> after a forward on its cached data.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public KanAttribution Attribute() => Attribute(LastFitSamples(nameof(Attribute)));

    /// <summary>Scores of the inputs (pykan's <c>feature_score</c>) on <paramref name="inputs"/> (row-major, not empty).</summary>
    public double[] FeatureScores(ReadOnlySpan<double> inputs)
    {
        RequireSamples(inputs, nameof(FeatureScores));
        return Attribute(inputs).FeatureScores.ToArray();
    }

    /// <summary>Scores of the inputs (pykan's <c>feature_score</c>) on <see cref="LastFitInputs"/>, the last fit's training inputs.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public double[] FeatureScores() => FeatureScores(LastFitSamples(nameof(FeatureScores)));

    /// <summary>Checks a row-major batch for attribution and returns its sample count.</summary>
    private int CheckSampleBatch(ReadOnlySpan<double> samples, string parameterName) =>
        SampleBatch.CountFinite(samples, InputCount, parameterName, minSamples: 2, purpose: "attribution (a standard deviation over samples)");

    /// <summary>
    /// Unbiased standard deviations over the samples of every edge activation φ + ψ (pykan's <c>edge_actscale</c>,
    /// flat per layer in our [in][out] edge order) and of every sum entering a node of layers 1..depth
    /// (<c>subnode_actscale</c>), from one trace per sample with Welford's running update.
    /// </summary>
    private (double[][] EdgeScales, double[][] SubnodeScales) ActivationScales(ReadOnlySpan<double> samples, int count)
    {
        KernelLayout layout = Layout;
        var nodes = new double[layout.NodeCount];
        var edges = new double[layout.EdgeCount];
        var splines = new double[layout.EdgeCount];
        var symbolic = new double[layout.EdgeCount];
        int firstSubnode = layout.NodeOffset[1];
        int subnodeCount = layout.NodeCount - firstSubnode;
        var edgeMean = new double[layout.EdgeCount];
        var edgeSquares = new double[layout.EdgeCount];
        var nodeMean = new double[subnodeCount];
        var nodeSquares = new double[subnodeCount];
        for (int s = 0; s < count; s++)
        {
            if (SymbolicKernel is { } mixed)
            {
                // pykan's edge_actscale is the spread of the whole edge output φ + ψ.
                mixed.TraceWithSymbolic(samples.Slice(s * InputCount, InputCount), ParameterBuffer, KnotTable, MaskBuffer, nodes, edges, splines, symbolic);
                TensorPrimitives.Add(edges, symbolic, edges);
            }
            else
            {
                Kernel.Trace(samples.Slice(s * InputCount, InputCount), ParameterBuffer, KnotTable, MaskBuffer, nodes, edges, splines);
            }

            double n = s + 1;
            for (int e = 0; e < edges.Length; e++)
            {
                double delta = edges[e] - edgeMean[e];
                edgeMean[e] += delta / n;
                edgeSquares[e] += delta * (edges[e] - edgeMean[e]);
            }

            for (int v = 0; v < subnodeCount; v++)
            {
                double value = nodes[firstSubnode + v];
                double delta = value - nodeMean[v];
                nodeMean[v] += delta / n;
                nodeSquares[v] += delta * (value - nodeMean[v]);
            }
        }

        var edgeScales = new double[Depth][];
        var subnodeScales = new double[Depth][];
        for (int l = 0; l < Depth; l++)
        {
            int edgeCount = NodeWidths[l] * SubnodeWidths[l + 1];
            edgeScales[l] = new double[edgeCount];
            for (int e = 0; e < edgeCount; e++)
            {
                edgeScales[l][e] = Math.Sqrt(edgeSquares[layout.EdgeOffset[l] + e] / (count - 1));
            }

            subnodeScales[l] = new double[SubnodeWidths[l + 1]];
            for (int j = 0; j < SubnodeWidths[l + 1]; j++)
            {
                subnodeScales[l][j] = Math.Sqrt(nodeSquares[layout.SubnodeOffset[l + 1] - firstSubnode + j] / (count - 1));
            }
        }

        return (edgeScales, subnodeScales);
    }

    /// <summary>
    /// pykan's backward score propagation: S = I over the outputs, then per layer from the last
    /// E[k][j][i] = A[j][i]·S[k][j]/(σ_j + 1e-4) and S'[k][i] = Σ_j E[k][j][i]; scores are means over k.
    /// </summary>
    private KanAttribution ScoresFromScales(int count, double[][] edgeScales, double[][] subnodeScales)
    {
        int depth = Depth, outputs = OutputCount;
        var nodeScores = new double[depth + 1][];
        var edgeScores = new double[depth][];
        var pykanEdgeScales = new double[depth][];

        // Per-output scores S[k][node], k = output being explained.
        var perOutput = new double[outputs * outputs];
        for (int k = 0; k < outputs; k++)
        {
            perOutput[k * outputs + k] = 1.0;
        }

        var subnodeScores = new double[depth][];
        nodeScores[depth] = MeanOverOutputs(perOutput, outputs, outputs);
        for (int l = depth - 1; l >= 0; l--)
        {
            int inputs = NodeWidths[l], outs = SubnodeWidths[l + 1];

            // Node scores to sub-node scores: a multiplication node's score is copied to each of its factors.
            perOutput = ExpandToSubnodes(perOutput, outputs, l + 1);
            subnodeScores[l] = MeanOverOutputs(perOutput, outputs, outs);
            var edgeSum = new double[outs * inputs];
            var next = new double[outputs * inputs];
            for (int k = 0; k < outputs; k++)
            {
                for (int j = 0; j < outs; j++)
                {
                    double inverseSpread = 1.0 / (subnodeScales[l][j] + SubnodeScaleDamping);
                    double subnodeScore = perOutput[k * outs + j];
                    for (int i = 0; i < inputs; i++)
                    {
                        double score = edgeScales[l][i * outs + j] * subnodeScore * inverseSpread;
                        edgeSum[j * inputs + i] += score;
                        next[k * inputs + i] += score;
                    }
                }
            }

            edgeScores[l] = new double[outs * inputs];
            pykanEdgeScales[l] = new double[outs * inputs];
            for (int j = 0; j < outs; j++)
            {
                for (int i = 0; i < inputs; i++)
                {
                    edgeScores[l][j * inputs + i] = edgeSum[j * inputs + i] / outputs;
                    pykanEdgeScales[l][j * inputs + i] = edgeScales[l][i * outs + j];
                }
            }

            perOutput = next;
            nodeScores[l] = MeanOverOutputs(perOutput, outputs, inputs);
        }

        return new KanAttribution(NodeWidths.ToArray(), SubnodeWidths.ToArray(), count, nodeScores, subnodeScores, edgeScores, pykanEdgeScales, subnodeScales);
    }

    /// <summary>Per-output node scores [k][node] of layer boundary <paramref name="layer"/> as per-output sub-node scores [k][sub-node].</summary>
    private double[] ExpandToSubnodes(double[] perOutputNodes, int outputs, int layer)
    {
        int nodes = NodeWidths[layer], subnodes = SubnodeWidths[layer];
        if (nodes == subnodes)
        {
            return perOutputNodes;
        }

        var expanded = new double[outputs * subnodes];
        for (int k = 0; k < outputs; k++)
        {
            for (int j = 0; j < subnodes; j++)
            {
                expanded[k * subnodes + j] = perOutputNodes[k * nodes + NodeOfSubnode(layer, j)];
            }
        }

        return expanded;
    }

    private static double[] MeanOverOutputs(double[] perOutput, int outputs, int nodes)
    {
        var mean = new double[nodes];
        for (int node = 0; node < nodes; node++)
        {
            double sum = 0.0;
            for (int k = 0; k < outputs; k++)
            {
                sum += perOutput[k * nodes + node];
            }

            mean[node] = sum / outputs;
        }

        return mean;
    }
}
