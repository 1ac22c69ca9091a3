using KanCompile.Generators.Emit;
using KanCompile.Splines;

namespace KanCompile.Engine;

/// <summary>
/// One edge's activation as a plain function of its own input (pykan's <c>get_fun</c>, kan-math §2.4):
/// φ_{l,i,j}(x) = mask·(scale_base·b(x) + scale_sp·spline(x)), read straight from the model's knots and
/// parameters. An edge depends only on its input value, so curves for plots need no network trace.
/// </summary>
internal static class EdgeFunction
{
    /// <summary>φ of <paramref name="edge"/> at <paramref name="x"/>.</summary>
    public static double Evaluate(KanModel model, KanEdge edge, double x)
    {
        ArgumentNullException.ThrowIfNull(model);
        double mask = model.GetMask(edge);
        KernelLayout layout = model.Layout;
        int layer = edge.Layer, input = edge.Input;
        int index = input * model.SubnodeWidths[layer + 1] + edge.Output;
        ReadOnlySpan<double> parameters = model.Parameters;
        ReadOnlySpan<double> coefficients = parameters.Slice(layout.CoefficientOffset[layer] + index * layout.CoefficientsPerEdge, layout.CoefficientsPerEdge);
        double spline = BSplineBasis.Spline(x, model.GetKnots(layer, input), model.SplineOrder, model.BeyondGrid, coefficients);
        double scaleBase = parameters[layout.ScaleBaseOffset[layer] + index];
        double scaleSpline = parameters[layout.ScaleSplineOffset[layer] + index];
        return mask * (scaleBase * BaseFunctions.Value(model.BaseFunction, x) + scaleSpline * spline);
    }
}
