using KanCompile.Tests.Support;

namespace KanCompile.Tests.Engine;

/// <summary>
/// Generated kernels against the reference engine: outputs to 1e-12 relative, gradients to 1e-12 normwise
/// relative (the largest difference over the sample's whole gradient, parameters and inputs, divided by its
/// largest entry). Gradients are sums of many terms whose order differs between the kernel (closed-form
/// basis derivative, k+1-term windows) and the reference (autograd-style recursion over all G+k bases), so
/// a small entry can carry the rounding of its large neighbours.
/// </summary>
public class GeneratedKernelParityTests
{
    private const double Tolerance = 1e-12;

    [Theory]
    [MemberData(nameof(ModelCase.All), MemberType = typeof(ModelCase))]
    public void Forward_matches_reference_in_every_grid_zone(ModelCase modelCase)
    {
        (KanModel generated, KanNetwork reference) = ModelCase.Pair(modelCase.CreateGenerated(7), parameterSeed: 11);
        var model = (IKanModel)generated;
        var y = new double[generated.OutputCount];
        var expected = new double[generated.OutputCount];
        foreach (double[] x in Sampling.Inputs(generated, 3, 200))
        {
            model.Forward(x, y);
            reference.Forward(x, expected);
            for (int o = 0; o < y.Length; o++)
            {
                Assert.True(Sampling.RelativeError(y[o], expected[o]) <= Tolerance, $"{modelCase}: output {o} at [{string.Join(", ", x)}] is {y[o]}, reference {expected[o]}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(ModelCase.All), MemberType = typeof(ModelCase))]
    public void Backward_matches_reference(ModelCase modelCase)
    {
        (KanModel generated, KanNetwork reference) = ModelCase.Pair(modelCase.CreateGenerated(5), parameterSeed: 13);
        var model = (IKanModel)generated;
        var outputGradient = Enumerable.Range(0, generated.OutputCount).Select(o => Math.Pow(-0.7, o)).ToArray();
        var gradient = new double[generated.ParameterCount];
        var expectedGradient = new double[generated.ParameterCount];
        var inputGradient = new double[generated.InputCount];
        var expectedInputGradient = new double[generated.InputCount];
        foreach (double[] x in Sampling.Inputs(generated, 4, 60))
        {
            Array.Clear(gradient);
            Array.Clear(expectedGradient);
            model.Backward(x, outputGradient, gradient, inputGradient);
            reference.Backward(x, outputGradient, expectedGradient, expectedInputGradient);
            double[] actual = gradient.Concat(inputGradient).ToArray();
            double[] expected = expectedGradient.Concat(expectedInputGradient).ToArray();
            double scale = Math.Max(1.0, expected.Max(Math.Abs));
            int worst = Enumerable.Range(0, actual.Length).MaxBy(i => Math.Abs(actual[i] - expected[i]));
            Assert.True(
                Math.Abs(actual[worst] - expected[worst]) <= Tolerance * scale,
                $"{modelCase} at [{string.Join(", ", x)}]: gradient entry {worst} is {actual[worst]}, reference {expected[worst]} (scale {scale})");
        }
    }
}
