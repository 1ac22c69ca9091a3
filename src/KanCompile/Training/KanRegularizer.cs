using KanCompile.Generators.Emit;

namespace KanCompile.Training;

/// <summary>
/// pykan's default regulariser <c>reg('edge_forward_spline_n', ...)</c> (kan-math §2.10) and its analytic
/// gradient. Per layer, with v[j][i] = std(φ_{i→j}) / (std(x_i) + 0.1) over the batch (unbiased std):
/// reg = Σ_l [λ_l1·Σv + λ_ent·(H_row + H_col)] + Σ_l [λ_coef·Σ_{i,m} mean_j |c| + λ_coefdiff·Σ_{i,m} mean_j |Δc|].
/// The gradient of the v-terms reaches the parameters through the batch: this class turns dreg/dv into the
/// per-sample weights of <see cref="Compilation.EdgeStatisticGradient"/>, which the kernel's backward pass applies.
/// </summary>
internal sealed class KanRegularizer
{
    private const double InputRangeOffset = 0.1;
    private const double EntropyOffset = 1e-4;
    private static readonly double InverseLn2 = 1.0 / Math.Log(2.0);

    private readonly KernelLayout _layout;
    private readonly double[] _rowSum;
    private readonly double[] _rowSlope;
    private readonly double[] _columnSum;
    private readonly double[] _columnSlope;

    public KanRegularizer(KernelLayout layout)
    {
        _layout = layout;
        int widest = Enumerable.Range(0, layout.Spec.Depth + 1).Max(l => Math.Max(layout.Spec.Width(l), layout.Spec.SubnodeWidth(l)));
        _rowSum = new double[widest];
        _rowSlope = new double[widest];
        _columnSum = new double[widest];
        _columnSlope = new double[widest];
        Magnitudes = new double[layout.EdgeCount];
        MagnitudeSlopes = new double[layout.EdgeCount];
        EdgeWeight = new double[layout.EdgeCount];
        NodeWeight = new double[layout.NodeCount];
        LayerTerms = new RegularizationTerms[layout.Spec.Depth];
    }

    /// <summary>Each layer's unweighted terms from the last <see cref="Evaluate"/> (pykan's per-layer values, for parity checks and diagnostics).</summary>
    public RegularizationTerms[] LayerTerms { get; }

    /// <summary>v per edge in kernel edge order (layer offset + i·out + j): pykan's <c>acts_scale_spline</c>.</summary>
    public double[] Magnitudes { get; }

    /// <summary>dreg/dv per edge.</summary>
    public double[] MagnitudeSlopes { get; }

    /// <summary>Per-edge weight of (φ − mean φ) in the backward pass.</summary>
    public double[] EdgeWeight { get; }

    /// <summary>Per-node weight of (x − mean x) in the backward pass.</summary>
    public double[] NodeWeight { get; }

    /// <summary>
    /// The regulariser's value from the batch statistics and the coefficients. Also fills
    /// <see cref="Magnitudes"/> and <see cref="MagnitudeSlopes"/>.
    /// </summary>
    public double Evaluate(BatchStatistics statistics, ReadOnlySpan<double> parameters, in RegularizationWeights weights)
    {
        double value = 0.0;
        for (int l = 0; l < _layout.Spec.Depth; l++)
        {
            value += EvaluateLayerMagnitudes(l, statistics, weights);
        }

        for (int l = 0; l < _layout.Spec.Depth; l++)
        {
            double coefficientL1 = CoefficientL1(l, parameters), differenceL1 = CoefficientDifferenceL1(l, parameters);
            LayerTerms[l] = LayerTerms[l] with { CoefficientL1 = coefficientL1, CoefficientDifferenceL1 = differenceL1 };
            value += weights.Coef * coefficientL1 + weights.CoefDiff * differenceL1;
        }

        return value;
    }

    /// <summary>
    /// After <see cref="Evaluate"/>: fills <see cref="EdgeWeight"/> and <see cref="NodeWeight"/> for an
    /// objective that adds <paramref name="scale"/>·reg. With s = std, dstd/dz_s = (z_s − mean)/((N−1)·std)
    /// (0 where std = 0, as torch), v = s_φ/(s_x + 0.1): dv/ds_φ = 1/(s_x + 0.1), dv/ds_x = −s_φ/(s_x + 0.1)².
    /// </summary>
    public void ComputeBackwardWeights(BatchStatistics statistics, double scale)
    {
        double samplesMinusOne = statistics.Count - 1;
        NodeWeight.AsSpan().Clear();
        for (int l = 0; l < _layout.Spec.Depth; l++)
        {
            int inputs = _layout.Spec.Width(l), outputs = _layout.Spec.SubnodeWidth(l + 1);
            for (int i = 0; i < inputs; i++)
            {
                int node = _layout.NodeOffset[l] + i;
                double nodeStd = statistics.NodeStd[node];
                double range = nodeStd + InputRangeOffset;
                double dRegDNodeStd = 0.0;
                for (int j = 0; j < outputs; j++)
                {
                    int edge = _layout.EdgeOffset[l] + i * outputs + j;
                    double edgeStd = statistics.EdgeStd[edge];
                    double slope = scale * MagnitudeSlopes[edge];
                    EdgeWeight[edge] = edgeStd > 0.0 ? slope / (range * samplesMinusOne * edgeStd) : 0.0;
                    dRegDNodeStd -= slope * edgeStd / (range * range);
                }

                NodeWeight[node] = nodeStd > 0.0 ? dRegDNodeStd / (samplesMinusOne * nodeStd) : 0.0;
            }
        }
    }

    /// <summary>Adds <paramref name="scale"/>·d(coefficient terms)/dc to <paramref name="gradient"/> (sign(0) = 0, as torch's abs).</summary>
    public void AddCoefficientGradient(ReadOnlySpan<double> parameters, Span<double> gradient, in RegularizationWeights weights, double scale)
    {
        if (weights.Coef == 0.0 && weights.CoefDiff == 0.0)
        {
            return;
        }

        int perEdge = _layout.CoefficientsPerEdge;
        for (int l = 0; l < _layout.Spec.Depth; l++)
        {
            int outputs = _layout.Spec.SubnodeWidth(l + 1);
            int edges = _layout.Spec.Width(l) * outputs;
            double coef = scale * weights.Coef / outputs, coefDiff = scale * weights.CoefDiff / outputs;
            for (int e = 0; e < edges; e++)
            {
                int offset = _layout.CoefficientOffset[l] + e * perEdge;
                for (int m = 0; m < perEdge; m++)
                {
                    gradient[offset + m] += coef * Math.Sign(parameters[offset + m]);
                }

                for (int m = 0; m + 1 < perEdge; m++)
                {
                    double step = coefDiff * Math.Sign(parameters[offset + m + 1] - parameters[offset + m]);
                    gradient[offset + m + 1] += step;
                    gradient[offset + m] -= step;
                }
            }
        }
    }

    /// <summary>λ_l1·Σv + λ_ent·(H_row + H_col) of one layer, and dreg/dv of its edges.</summary>
    private double EvaluateLayerMagnitudes(int layer, BatchStatistics statistics, in RegularizationWeights weights)
    {
        int inputs = _layout.Spec.Width(layer), outputs = _layout.Spec.SubnodeWidth(layer + 1);
        int first = _layout.EdgeOffset[layer];
        Span<double> rowSum = _rowSum.AsSpan(0, outputs), columnSum = _columnSum.AsSpan(0, inputs);
        Span<double> rowSlope = _rowSlope.AsSpan(0, outputs), columnSlope = _columnSlope.AsSpan(0, inputs);
        rowSum.Clear();
        columnSum.Clear();
        rowSlope.Clear();
        columnSlope.Clear();
        double l1 = 0.0;
        for (int i = 0; i < inputs; i++)
        {
            double range = statistics.NodeStd[_layout.NodeOffset[layer] + i] + InputRangeOffset;
            for (int j = 0; j < outputs; j++)
            {
                int edge = first + i * outputs + j;
                double v = statistics.EdgeStd[edge] / range;
                Magnitudes[edge] = v;
                l1 += v;
                rowSum[j] += v;
                columnSum[i] += v;
            }
        }

        // H = −Σ p·log2(p + 1e-4) with p = v/(S + 1); dH/dv_k = −[f'(p_k)/(S+1) − Σ f'(p)·v/(S+1)²], f(p) = p·log2(p+1e-4).
        double rowEntropy = 0.0, columnEntropy = 0.0;
        for (int i = 0; i < inputs; i++)
        {
            for (int j = 0; j < outputs; j++)
            {
                double v = Magnitudes[first + i * outputs + j];
                double pRow = v / (rowSum[j] + 1.0), pColumn = v / (columnSum[i] + 1.0);
                rowEntropy -= pRow * Math.Log2(pRow + EntropyOffset);
                columnEntropy -= pColumn * Math.Log2(pColumn + EntropyOffset);
                rowSlope[j] += EntropySlope(pRow) * v;
                columnSlope[i] += EntropySlope(pColumn) * v;
            }
        }

        rowEntropy /= outputs;
        columnEntropy /= inputs;
        for (int i = 0; i < inputs; i++)
        {
            for (int j = 0; j < outputs; j++)
            {
                int edge = first + i * outputs + j;
                double v = Magnitudes[edge];
                double rowDenominator = rowSum[j] + 1.0, columnDenominator = columnSum[i] + 1.0;
                double dRow = -(EntropySlope(v / rowDenominator) / rowDenominator - rowSlope[j] / (rowDenominator * rowDenominator)) / outputs;
                double dColumn = -(EntropySlope(v / columnDenominator) / columnDenominator - columnSlope[i] / (columnDenominator * columnDenominator)) / inputs;
                MagnitudeSlopes[edge] = weights.L1 + weights.Entropy * (dRow + dColumn);
            }
        }

        LayerTerms[layer] = new RegularizationTerms(l1, rowEntropy, columnEntropy, 0.0, 0.0);
        return weights.L1 * l1 + weights.Entropy * (rowEntropy + columnEntropy);
    }

    /// <summary>d/dp of p·log2(p + 1e-4).</summary>
    private static double EntropySlope(double p) => Math.Log2(p + EntropyOffset) + p / (p + EntropyOffset) * InverseLn2;

    private double CoefficientL1(int layer, ReadOnlySpan<double> parameters)
    {
        int outputs = _layout.Spec.SubnodeWidth(layer + 1);
        int count = _layout.Spec.Width(layer) * outputs * _layout.CoefficientsPerEdge;
        double sum = 0.0;
        foreach (double c in parameters.Slice(_layout.CoefficientOffset[layer], count))
        {
            sum += Math.Abs(c);
        }

        return sum / outputs;
    }

    private double CoefficientDifferenceL1(int layer, ReadOnlySpan<double> parameters)
    {
        int outputs = _layout.Spec.SubnodeWidth(layer + 1);
        int edges = _layout.Spec.Width(layer) * outputs, perEdge = _layout.CoefficientsPerEdge;
        double sum = 0.0;
        for (int e = 0; e < edges; e++)
        {
            var coefficients = parameters.Slice(_layout.CoefficientOffset[layer] + e * perEdge, perEdge);
            for (int m = 0; m + 1 < perEdge; m++)
            {
                sum += Math.Abs(coefficients[m + 1] - coefficients[m]);
            }
        }

        return sum / outputs;
    }
}
