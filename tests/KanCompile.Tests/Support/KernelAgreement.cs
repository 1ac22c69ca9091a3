namespace KanCompile.Tests.Support;

/// <summary>
/// Asserts two models with the same state compute the same function: outputs to 1e-12 relative, gradients
/// (parameters and inputs) to 1e-12 normwise relative, the measure the kernel parity tests share (<c>GeneratedKernelParityTests</c>, <c>CompiledKernelParityTests</c>, ...).
/// </summary>
internal static class KernelAgreement
{
    public const double Tolerance = 1e-12;

    public static void Outputs(string label, IKanModel actual, KanModel expected, int seed, int count)
    {
        var y = new double[expected.OutputCount];
        var reference = new double[expected.OutputCount];
        foreach (double[] x in Sampling.Inputs(expected, seed, count))
        {
            actual.Forward(x, y);
            expected.Forward(x, reference);
            for (int o = 0; o < y.Length; o++)
            {
                Assert.True(
                    Sampling.RelativeError(y[o], reference[o]) <= Tolerance,
                    $"{label}: output {o} at [{string.Join(", ", x)}] is {y[o]}, reference {reference[o]}");
            }
        }
    }

    public static void Gradients(string label, IKanModel actual, KanModel expected, int seed, int count)
    {
        var outputGradient = Enumerable.Range(0, expected.OutputCount).Select(o => Math.Pow(-0.7, o)).ToArray();
        var gradient = new double[expected.ParameterCount];
        var expectedGradient = new double[expected.ParameterCount];
        var inputGradient = new double[expected.InputCount];
        var expectedInputGradient = new double[expected.InputCount];
        foreach (double[] x in Sampling.Inputs(expected, seed, count))
        {
            Array.Clear(gradient);
            Array.Clear(expectedGradient);
            actual.Backward(x, outputGradient, gradient, inputGradient);
            expected.Backward(x, outputGradient, expectedGradient, expectedInputGradient);
            double[] got = gradient.Concat(inputGradient).ToArray();
            double[] want = expectedGradient.Concat(expectedInputGradient).ToArray();
            double scale = Math.Max(1.0, want.Max(Math.Abs));
            int worst = Enumerable.Range(0, got.Length).MaxBy(i => Math.Abs(got[i] - want[i]));
            Assert.True(
                Math.Abs(got[worst] - want[worst]) <= Tolerance * scale,
                $"{label} at [{string.Join(", ", x)}]: gradient entry {worst} is {got[worst]}, reference {want[worst]} (scale {scale})");
        }
    }
}
