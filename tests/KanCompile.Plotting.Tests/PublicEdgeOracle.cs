namespace KanCompile.Plotting.Tests;

/// <summary>φ of one SiLU edge computed from the public API only (parameters, knots, masks): an independent oracle.</summary>
internal static class PublicEdgeOracle
{
    public static double Phi(KanModel model, int layer, int input, int output, double x)
    {
        Assert.Equal(KanBaseFunction.SiLU, model.BaseFunction);
        int offset = 0;
        int perEdge = model.GridSize + model.SplineOrder;
        for (int l = 0; l < layer; l++)
        {
            offset += model.Widths[l] * model.Widths[l + 1] * (perEdge + 2);
        }

        int edges = model.Widths[layer] * model.Widths[layer + 1];
        int edge = input * model.Widths[layer + 1] + output;
        ReadOnlySpan<double> parameters = model.Parameters;
        double spline = Spline(x, model.GetKnots(layer, input), model.SplineOrder, parameters.Slice(offset + edge * perEdge, perEdge));
        double scaleBase = parameters[offset + edges * perEdge + edge];
        double scaleSpline = parameters[offset + edges * perEdge + edges + edge];
        return model.GetMask(new KanEdge(layer, input, output)) * (scaleBase * x / (1.0 + Math.Exp(-x)) + scaleSpline * spline);
    }

    /// <summary>Σ c_m B_m(x) by the Cox–de Boor recursion written out here, so the oracle shares no code with the library.</summary>
    private static double Spline(double x, ReadOnlySpan<double> knots, int order, ReadOnlySpan<double> coefficients)
    {
        double sum = 0.0;
        for (int m = 0; m < coefficients.Length; m++)
        {
            sum += coefficients[m] * Basis(x, knots, m, order);
        }

        return sum;
    }

    private static double Basis(double x, ReadOnlySpan<double> t, int m, int p)
    {
        if (p == 0)
        {
            return t[m] <= x && x < t[m + 1] ? 1.0 : 0.0;
        }

        return (x - t[m]) / (t[m + p] - t[m]) * Basis(x, t, m, p - 1) + (t[m + p + 1] - x) / (t[m + p + 1] - t[m + 1]) * Basis(x, t, m + 1, p - 1);
    }
}
