using System.Text.Json;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Training;

/// <summary>Writes pykan fixture models and gradients into our parameter layout (loading: <see cref="GoldenFixture"/>).</summary>
internal static class GoldenJson
{
    /// <summary>
    /// Writes the fixture's layers (coef [in][out][G+k], scale_base and scale_sp [in][out]) into the model's
    /// parameters and checks that the model's knots are the fixture's grid.
    /// </summary>
    public static void WriteModel(KanModel model, JsonElement modelJson)
    {
        var layout = model.Layout;
        int l = 0;
        foreach (JsonElement layer in modelJson.GetProperty("layers").EnumerateArray())
        {
            var coef = GoldenFixture.Cube(layer.GetProperty("coef"));
            var scaleBase = GoldenFixture.Matrix(layer.GetProperty("scale_base"));
            var scaleSpline = GoldenFixture.Matrix(layer.GetProperty("scale_sp"));
            var grid = GoldenFixture.Matrix(layer.GetProperty("grid"));
            int inputs = coef.Length, outputs = coef[0].Length;
            for (int i = 0; i < inputs; i++)
            {
                ReadOnlySpan<double> knots = model.GetKnots(l, i);
                for (int q = 0; q < grid[i].Length; q++)
                {
                    Assert.True(Math.Abs(knots[q] - grid[i][q]) <= 1e-15, $"knot {q} of layer {l} node {i}: model {knots[q]}, fixture {grid[i][q]}");
                }

                for (int j = 0; j < outputs; j++)
                {
                    int e = i * outputs + j;
                    for (int m = 0; m < coef[i][j].Length; m++)
                    {
                        model.Parameters[layout.CoefficientOffset[l] + e * layout.CoefficientsPerEdge + m] = coef[i][j][m];
                    }

                    model.Parameters[layout.ScaleBaseOffset[l] + e] = scaleBase[i][j];
                    model.Parameters[layout.ScaleSplineOffset[l] + e] = scaleSpline[i][j];
                }
            }

            l++;
        }
    }

    /// <summary>Reads a gradient stored like the parameters (grad.coef, grad.scale_base, grad.scale_sp per layer) into the flat layout.</summary>
    public static double[] Gradient(KanModel model, JsonElement grad)
    {
        var layout = model.Layout;
        var flat = new double[model.ParameterCount];
        var coefs = grad.GetProperty("coef").EnumerateArray().Select(GoldenFixture.Cube).ToArray();
        var bases = grad.GetProperty("scale_base").EnumerateArray().Select(GoldenFixture.Matrix).ToArray();
        var splines = grad.GetProperty("scale_sp").EnumerateArray().Select(GoldenFixture.Matrix).ToArray();
        for (int l = 0; l < coefs.Length; l++)
        {
            int inputs = coefs[l].Length, outputs = coefs[l][0].Length;
            for (int i = 0; i < inputs; i++)
            {
                for (int j = 0; j < outputs; j++)
                {
                    int e = i * outputs + j;
                    for (int m = 0; m < coefs[l][i][j].Length; m++)
                    {
                        flat[layout.CoefficientOffset[l] + e * layout.CoefficientsPerEdge + m] = coefs[l][i][j][m];
                    }

                    flat[layout.ScaleBaseOffset[l] + e] = bases[l][i][j];
                    flat[layout.ScaleSplineOffset[l] + e] = splines[l][i][j];
                }
            }
        }

        return flat;
    }
}
