using KanCompile.Splines;

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
        double spline = BSplineBasis.Spline(x, model.GetKnots(layer, input), model.SplineOrder, parameters.Slice(offset + edge * perEdge, perEdge));
        double scaleBase = parameters[offset + edges * perEdge + edge];
        double scaleSpline = parameters[offset + edges * perEdge + edges + edge];
        return model.GetMask(layer, input, output) * (scaleBase * x / (1.0 + Math.Exp(-x)) + scaleSpline * spline);
    }
}
