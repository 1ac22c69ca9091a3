using System.Text.Json;
using KanCompile.Tests.Support;
using KanCompile.Training;
using Xunit.Abstractions;

namespace KanCompile.Tests.Training;

/// <summary>
/// The regulariser against pykan's <c>model.reg('edge_forward_spline_n', ...)</c> and its autograd gradient
/// (Golden/reg.json: value 1e-12 relative, gradient 1e-10 absolute), on the reference engine and on the
/// generated kernel of the same shape.
/// </summary>
public class RegularizerGoldenTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Cases()
    {
        foreach (string engine in new[] { "reference", "generated" })
        {
            for (int c = 0; c < 2; c++)
            {
                yield return new object[] { engine, c };
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Value_magnitudes_and_gradient_match_pykan(string engine, int caseIndex)
    {
        JsonElement root = GoldenFixture.Load("reg.json");
        JsonElement golden = root.GetProperty("cases")[caseIndex];
        KanModel model = engine == "generated" ? new Golden231(0) : new KanNetwork(new[] { 2, 3, 1 }, 5, 3, seed: 0);
        GoldenJson.WriteModel(model, root.GetProperty("model"));
        double[] samples = GoldenFixture.Rows(root.GetProperty("samples"));
        var options = new FitOptions
        {
            Lambda = 1.0,
            LambdaL1 = golden.GetProperty("lamb_l1").GetDouble(),
            LambdaEntropy = golden.GetProperty("lamb_entropy").GetDouble(),
            LambdaCoef = golden.GetProperty("lamb_coef").GetDouble(),
            LambdaCoefDiff = golden.GetProperty("lamb_coefdiff").GetDouble(),
        };

        var gradient = new double[model.ParameterCount];
        double value;
        KanRegularizer regularizer;
        using (var workers = new ChunkWorkers(2))
        {
            var objective = new KanObjective(model, workers, 16, 200, options, default) { LossWeight = 0.0, ComputeRegularization = true };
            objective.SetBatch(samples, new double[200], 200);
            value = objective.Evaluate(gradient);
            regularizer = objective.Regularizer;
        }

        double expected = golden.GetProperty("value").GetDouble();
        Assert.True(Math.Abs(value - expected) <= 1e-12 * Math.Abs(expected), $"reg = {value:R}, pykan {expected:R} (relative error {Math.Abs(value - expected) / expected:E2})");

        // v = acts_scale_spline per layer, stored [out][in]; the kernel orders edges i*out + j.
        var layout = model.Layout;
        int l = 0;
        foreach (JsonElement layer in golden.GetProperty("edge_values_acts_scale_spline").EnumerateArray())
        {
            double[][] v = GoldenFixture.Matrix(layer);
            for (int j = 0; j < v.Length; j++)
            {
                for (int i = 0; i < v[j].Length; i++)
                {
                    double actual = regularizer.Magnitudes[layout.EdgeOffset[l] + i * v.Length + j];
                    Assert.True(Math.Abs(actual - v[j][i]) <= 1e-13, $"v of layer {l} edge {i}->{j}: {actual:R}, pykan {v[j][i]:R}");
                }
            }

            l++;
        }

        // Each layer's terms before weighting: pykan's per_layer_terms.
        JsonElement[] layerTerms = golden.GetProperty("per_layer_terms").EnumerateArray().ToArray();
        Assert.Equal(model.Layout.Spec.Depth, layerTerms.Length);
        for (int layer = 0; layer < layerTerms.Length; layer++)
        {
            RegularizationTerms terms = regularizer.LayerTerms[layer];
            AssertTerm(terms.L1, layerTerms[layer], "l1", layer);
            AssertTerm(terms.RowEntropy, layerTerms[layer], "entropy_row", layer);
            AssertTerm(terms.ColumnEntropy, layerTerms[layer], "entropy_col", layer);
            AssertTerm(terms.CoefficientL1, layerTerms[layer], "coef_l1", layer);
            AssertTerm(terms.CoefficientDifferenceL1, layerTerms[layer], "coefdiff_l1", layer);
        }

        double[] expectedGradient = GoldenJson.Gradient(model, golden.GetProperty("grad"));
        double worst = 0.0;
        for (int p = 0; p < gradient.Length; p++)
        {
            worst = Math.Max(worst, Math.Abs(gradient[p] - expectedGradient[p]));
        }

        output.WriteLine($"{engine} case {caseIndex}: reg {value:R} (pykan {expected:R}, relative {Math.Abs(value - expected) / expected:E2}), largest gradient difference {worst:E2}");
        Assert.True(worst <= 1e-10, $"largest gradient difference {worst:E2}");
    }

    private static void AssertTerm(double actual, JsonElement terms, string name, int layer)
    {
        double expected = terms.GetProperty(name).GetDouble();
        Assert.True(Math.Abs(actual - expected) <= 1e-12 * Math.Max(1.0, Math.Abs(expected)), $"layer {layer} {name} = {actual:R}, pykan {expected:R}");
    }
}
