using KanCompile.Tests.Support;

namespace KanCompile.Tests.Engine;

/// <summary>Backward against central finite differences of Forward, for every parameter and every input.</summary>
public class FiniteDifferenceTests
{
    public static IEnumerable<object[]> SmoothCases() =>
        ModelCase.Cases.Where(c => c.Name is not "Step231K0" and not "Large10x32x32x1" and not "Broad100x10x1").Select(c => new object[] { c });

    [Theory]
    [MemberData(nameof(SmoothCases))]
    public void Gradients_match_central_differences(ModelCase modelCase)
    {
        KanModel generated = modelCase.CreateGenerated(3);
        var model = (IKanModel)generated;
        Sampling.Randomize(generated.Parameters, 17);
        var random = new Random(23);
        var weights = Enumerable.Range(0, model.OutputCount).Select(o => 1.0 - 0.4 * o).ToArray();
        var y = new double[model.OutputCount];
        double Objective(double[] input)
        {
            model.Forward(input, y);
            return y.Select((v, o) => v * weights[o]).Sum();
        }

        for (int trial = 0; trial < 3; trial++)
        {
            // Points inside the grid but away from knots (k = 1 splines have kinks there).
            var x = Enumerable.Range(0, model.InputCount).Select(_ => random.NextDouble() * 1.6 - 0.8).ToArray();
            var gradient = new double[model.ParameterCount];
            var inputGradient = new double[model.InputCount];
            model.Backward(x, weights, gradient, inputGradient);
            CentralDifferences.AssertGradient(generated.Parameters, gradient, () => Objective(x), $"{modelCase}: dθ");
            CentralDifferences.AssertGradient(x, inputGradient, () => Objective(x), $"{modelCase}: dx");
        }
    }
}
