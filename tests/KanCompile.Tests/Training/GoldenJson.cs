using System.Text.Json;

namespace KanCompile.Tests.Training;

/// <summary>Reads the pykan fixtures copied next to the tests (Golden/*.json).</summary>
internal static class GoldenJson
{
    public static JsonElement Load(string file)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Golden", file);
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement;
    }

    public static double[] Vector(JsonElement element) => element.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    public static double[][] Matrix(JsonElement element) => element.EnumerateArray().Select(Vector).ToArray();

    public static double[][][] Cube(JsonElement element) => element.EnumerateArray().Select(Matrix).ToArray();

    /// <summary>Flattens a [N][d] matrix row-major.</summary>
    public static double[] Rows(JsonElement element) => Matrix(element).SelectMany(r => r).ToArray();

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
            var coef = Cube(layer.GetProperty("coef"));
            var scaleBase = Matrix(layer.GetProperty("scale_base"));
            var scaleSpline = Matrix(layer.GetProperty("scale_sp"));
            var grid = Matrix(layer.GetProperty("grid"));
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
        var coefs = grad.GetProperty("coef").EnumerateArray().Select(Cube).ToArray();
        var bases = grad.GetProperty("scale_base").EnumerateArray().Select(Matrix).ToArray();
        var splines = grad.GetProperty("scale_sp").EnumerateArray().Select(Matrix).ToArray();
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
