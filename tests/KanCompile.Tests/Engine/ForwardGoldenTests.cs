using System.Text.Json;
using KanCompile.Tests.Models;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Engine;

/// <summary>
/// Forward values and gradients against pykan's own <c>model(x)</c> + autograd (golden/forward_*.json), for the
/// reference engine and for the generated kernels of the same shapes.
/// </summary>
public class ForwardGoldenTests
{
    public static IEnumerable<object[]> Cases() => new[]
    {
        new object[] { "forward_2_3_1.json", "reference" },
        new object[] { "forward_2_3_1.json", "generated" },
        new object[] { "forward_3_4_2.json", "reference" },
        new object[] { "forward_3_4_2.json", "generated" },
        new object[] { "forward_1_1.json", "reference" },
        new object[] { "forward_1_1.json", "generated" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Outputs_and_gradients_match_pykan(string file, string engine)
    {
        JsonElement fixture = GoldenFixture.Load(file);
        JsonElement modelJson = fixture.GetProperty("model");
        KanModel model = engine == "reference" ? GoldenFixture.Model(modelJson) : GoldenFixture.Into(Generated(file), modelJson);
        var kan = (IKanModel)model;
        double[][] xs = GoldenFixture.Matrix(fixture.GetProperty("x"));
        double[][] ys = GoldenFixture.Matrix(fixture.GetProperty("y"));
        double[] w = GoldenFixture.Vector(fixture.GetProperty("w"));
        var y = new double[model.OutputCount];
        var gradient = new double[model.ParameterCount];
        var inputGradient = new double[model.InputCount];
        double[][] expectedInputGradient = GoldenFixture.Matrix(fixture.GetProperty("grad").GetProperty("x"));
        for (int s = 0; s < xs.Length; s++)
        {
            kan.Forward(xs[s], y);
            for (int o = 0; o < y.Length; o++)
            {
                Assert.True(Math.Abs(y[o] - ys[s][o]) <= 1e-12, $"{file} {engine}: y[{s}][{o}] = {y[o]:R}, pykan {ys[s][o]:R}");
            }

            kan.Backward(xs[s], w, gradient, inputGradient);
            for (int i = 0; i < inputGradient.Length; i++)
            {
                Assert.True(Math.Abs(inputGradient[i] - expectedInputGradient[s][i]) <= 1e-11, $"{file} {engine}: dx[{s}][{i}] = {inputGradient[i]:R}, pykan {expectedInputGradient[s][i]:R}");
            }
        }

        double[] expected = ExpectedParameterGradient(fixture.GetProperty("grad"));
        Assert.Equal(expected.Length, gradient.Length);
        for (int p = 0; p < gradient.Length; p++)
        {
            Assert.True(Math.Abs(gradient[p] - expected[p]) <= 1e-11, $"{file} {engine}: dθ[{p}] = {gradient[p]:R}, pykan {expected[p]:R}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Layer_inputs_splines_and_activations_match_pykan(string file, string engine)
    {
        // pykan's save_act tensors per layer: layer_inputs [N][in], postspline (the unscaled spline Σ c·B) and postacts (φ) [N][out][in].
        JsonElement fixture = GoldenFixture.Load(file);
        JsonElement modelJson = fixture.GetProperty("model");
        KanModel model = engine == "reference" ? GoldenFixture.Model(modelJson) : GoldenFixture.Into(Generated(file), modelJson);
        var layout = model.Layout;
        double[][] xs = GoldenFixture.Matrix(fixture.GetProperty("x"));
        JsonElement[] layerInputs = fixture.GetProperty("layer_inputs").EnumerateArray().ToArray();
        JsonElement[] postspline = fixture.GetProperty("postspline").EnumerateArray().ToArray();
        JsonElement[] postacts = fixture.GetProperty("postacts").EnumerateArray().ToArray();
        Assert.Equal(layout.Spec.Depth, postacts.Length);
        double[] nodes = new double[layout.NodeCount], edges = new double[layout.EdgeCount], splines = new double[layout.EdgeCount];
        var compared = 0;
        for (int l = 0; l < layout.Spec.Depth; l++)
        {
            double[][] inputs = GoldenFixture.Matrix(layerInputs[l]);
            double[][][] splineValues = GoldenFixture.Cube(postspline[l]), activations = GoldenFixture.Cube(postacts[l]);
            int outputs = layout.Spec.SubnodeWidth(l + 1);
            for (int s = 0; s < xs.Length; s++)
            {
                model.Kernel.Trace(xs[s], model.ParameterBuffer, model.KnotTable, model.MaskBuffer, nodes, edges, splines);
                for (int i = 0; i < inputs[s].Length; i++)
                {
                    double node = nodes[layout.NodeOffset[l] + i];
                    Assert.True(Math.Abs(node - inputs[s][i]) <= 1e-12, $"{file} {engine}: layer {l} input {i} of sample {s} = {node:R}, pykan {inputs[s][i]:R}");
                    for (int j = 0; j < outputs; j++)
                    {
                        int edge = layout.EdgeOffset[l] + i * outputs + j;
                        Assert.True(Math.Abs(splines[edge] - splineValues[s][j][i]) <= 1e-12, $"{file} {engine}: spline {l}:{i}->{j} of sample {s} = {splines[edge]:R}, pykan {splineValues[s][j][i]:R}");
                        Assert.True(Math.Abs(edges[edge] - activations[s][j][i]) <= 1e-12, $"{file} {engine}: φ {l}:{i}->{j} of sample {s} = {edges[edge]:R}, pykan {activations[s][j][i]:R}");
                        compared++;
                    }
                }
            }
        }

        Assert.Equal(xs.Length * layout.EdgeCount, compared);
    }

    private static KanModel Generated(string file) => file switch
    {
        "forward_2_3_1.json" => new Golden231(),
        "forward_3_4_2.json" => new Golden342K2(),
        _ => new Golden11K1(),
    };

    /// <summary>pykan's per-tensor gradients flattened into our parameter layout.</summary>
    private static double[] ExpectedParameterGradient(JsonElement grad)
    {
        var result = new List<double>();
        var coef = grad.GetProperty("coef").EnumerateArray().ToArray();
        var scaleBase = grad.GetProperty("scale_base").EnumerateArray().ToArray();
        var scaleSpline = grad.GetProperty("scale_sp").EnumerateArray().ToArray();
        for (int l = 0; l < coef.Length; l++)
        {
            foreach (JsonElement input in coef[l].EnumerateArray())
            {
                foreach (JsonElement edge in input.EnumerateArray())
                {
                    result.AddRange(GoldenFixture.Vector(edge));
                }
            }

            result.AddRange(GoldenFixture.Matrix(scaleBase[l]).SelectMany(r => r));
            result.AddRange(GoldenFixture.Matrix(scaleSpline[l]).SelectMany(r => r));
        }

        return result.ToArray();
    }
}
