using KanCompile.Engine;

namespace KanCompile.Plotting;

/// <summary>
/// Computes every drawn edge's curve and opacity as pykan's <c>plot()</c> does (kan-math §1.2, §2.11):
/// opacity tanh(β·edge score) from attribution on the samples, each curve over the range its input node takes
/// on those samples. Without samples, curves span the node's grid range at full opacity.
/// </summary>
internal static class EdgeCurveSampler
{
    /// <summary>Curves per layer; pruned spline edges (mask 0) are left out, as pykan draws them fully transparent.</summary>
    public static IReadOnlyList<EdgeCurve>[] Sample(KanModel model, KanPlotOptions options)
    {
        if (options.CurvePoints < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.CurvePoints, "KanPlotOptions.CurvePoints must be at least 2.");
        }

        if (!double.IsFinite(options.Beta) || options.Beta <= 0.0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Beta, "KanPlotOptions.Beta must be a positive number (pykan uses 3).");
        }

        double[]? samples = options.Inputs ?? model.LastFitInputs;
        KanAttribution? attribution = samples is null ? null : model.Attribute(samples);
        var (lows, highs) = samples is null ? GridRanges(model) : SampleRanges(model, samples);
        var layers = new IReadOnlyList<EdgeCurve>[model.Depth];
        for (int l = 0; l < model.Depth; l++)
        {
            var curves = new List<EdgeCurve>();
            for (int i = 0; i < model.NodeWidths[l]; i++)
            {
                for (int j = 0; j < model.SubnodeWidths[l + 1]; j++)
                {
                    var edge = new KanEdge(l, i, j);
                    KanEdgeKind kind = options.EdgeKind?.Invoke(edge) ?? KanEdgeKind.Spline;
                    if (model.GetMask(edge) == 0.0 && kind == KanEdgeKind.Spline)
                    {
                        continue;
                    }

                    double? score = attribution?.EdgeScore(edge);
                    double alpha = score is double s ? Math.Tanh(options.Beta * s) : 1.0;
                    var (x, y) = Curve(model, edge, lows[l][i], highs[l][i], options.CurvePoints);
                    curves.Add(new EdgeCurve(edge, kind, alpha, score, x, y));
                }
            }

            layers[l] = curves;
        }

        return layers;
    }

    private static (double[] X, double[] Y) Curve(KanModel model, KanEdge edge, double low, double high, int points)
    {
        var x = new double[points];
        var y = new double[points];
        for (int p = 0; p < points; p++)
        {
            x[p] = low + (high - low) * p / (points - 1);
            y[p] = EdgeFunction.Evaluate(model, edge, x[p]);
        }

        return (x, y);
    }

    /// <summary>Interior grid [t_k, t_{k+G}] of every input node of every layer.</summary>
    private static (double[][] Low, double[][] High) GridRanges(KanModel model)
    {
        var lows = new double[model.Depth][];
        var highs = new double[model.Depth][];
        int k = model.SplineOrder;
        for (int l = 0; l < model.Depth; l++)
        {
            lows[l] = new double[model.NodeWidths[l]];
            highs[l] = new double[model.NodeWidths[l]];
            for (int i = 0; i < model.NodeWidths[l]; i++)
            {
                ReadOnlySpan<double> knots = model.GetKnots(l, i);
                lows[l][i] = knots[k];
                highs[l][i] = knots[^(k + 1)];
            }
        }

        return (lows, highs);
    }

    /// <summary>Smallest and largest value each node takes over the samples (one kernel trace per sample).</summary>
    private static (double[][] Low, double[][] High) SampleRanges(KanModel model, double[] samples)
    {
        var layout = model.Layout;
        var nodes = new double[layout.NodeCount];
        var edges = new double[layout.EdgeCount];
        var splines = new double[layout.EdgeCount];
        var low = new double[layout.NodeCount];
        var high = new double[layout.NodeCount];
        Array.Fill(low, double.PositiveInfinity);
        Array.Fill(high, double.NegativeInfinity);
        for (int s = 0; s < samples.Length / model.InputCount; s++)
        {
            model.Kernel.Trace(samples.AsSpan(s * model.InputCount, model.InputCount), model.ParameterBuffer, model.KnotTable, model.MaskBuffer, nodes, edges, splines);
            for (int n = 0; n < nodes.Length; n++)
            {
                low[n] = Math.Min(low[n], nodes[n]);
                high[n] = Math.Max(high[n], nodes[n]);
            }
        }

        var lows = new double[model.Depth][];
        var highs = new double[model.Depth][];
        for (int l = 0; l < model.Depth; l++)
        {
            lows[l] = new double[model.NodeWidths[l]];
            highs[l] = new double[model.NodeWidths[l]];
            for (int i = 0; i < model.NodeWidths[l]; i++)
            {
                double a = low[layout.NodeOffset[l] + i], b = high[layout.NodeOffset[l] + i];

                // A node that is constant on the samples still gets a visible (flat-looking) stretch of curve.
                double pad = a == b ? Math.Max(1e-3, Math.Abs(a) * 1e-3) : 0.0;
                lows[l][i] = a - pad;
                highs[l][i] = b + pad;
            }
        }

        return (lows, highs);
    }
}
