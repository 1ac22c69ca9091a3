using KanCompile.Compilation;
using KanCompile.Engine;
using KanCompile.Generators.Emit;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.SymbolicModel;

/// <summary>
/// Input derivatives through mixed edges (spline branch φ plus symbolic branch ψ, singular library functions, a user
/// function): the reference engine's oracle against central differences, for every kind of configuration.
/// </summary>
public class MixedInputDerivativeTests
{
    public static IEnumerable<object[]> Cases()
    {
        foreach (string shape in new[] { "Toy251", "Deep2321K4", "Quad342K2", "Compiled332", "MultKan2x5m2x1", "MultKanArity3" })
        {
            foreach (MixedKind kind in Enum.GetValues<MixedKind>())
            {
                yield return [shape, kind];
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reference_derivatives_match_central_differences(string shape, MixedKind kind)
    {
        KanModel model = MixedKernelTests.CreateModel(shape, 4);
        KernelLayout layout = model.Layout;
        var reference = new ReferenceKernel(layout.Spec);
        var configuration = MixedConfiguration.Create(layout, kind, 11);
        double[] parameters = model.ParameterBuffer, knots = model.KnotTable, masks = configuration.SplineMasks;
        var random = new Random(5);
        for (int trial = 0; trial < 2; trial++)
        {
            double[] x = Enumerable.Range(0, model.InputCount).Select(_ => random.NextDouble() * 1.6 - 0.8).ToArray();
            InputDerivativeCheck.Assert(
                (input, y, jacobian, hessian, second) => reference.InputDerivativesSymbolic(input, y, jacobian, hessian, second, parameters, knots, masks, configuration.Spans),
                x,
                model.OutputCount,
                $"{shape} {kind}");
        }
    }
}
