using KanCompile.Compilation;
using KanCompile.Generators.Emit;
using KanCompile.Splines;
using KanCompile.Tests.Models;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Compilation;

/// <summary>
/// A generated model moved to a grid it declares no kernel for (Toy251 declares 5, 10 and 20) runs a kernel
/// compiled on demand and still matches the reference engine.
/// </summary>
public class UndeclaredGridTests
{
    [Theory]
    [InlineData(7, -1.5, 2.0)]
    public void Generated_model_on_an_undeclared_grid_matches_reference(int gridSize, double gridMin, double gridMax)
    {
        var generated = new Toy251(seed: 2);
        var reference = new KanNetwork(generated.Architecture, generated.Seed, KanEngine.Reference);
        var layout = new KernelLayout(generated.Architecture.KernelSpecFor(gridSize));
        double[] uniform = KnotVector.Uniform(gridSize, generated.SplineOrder, gridMin, gridMax);
        var knots = new double[layout.NodeOffset[generated.Depth] * layout.KnotCount];
        for (int node = 0; node < layout.NodeOffset[generated.Depth]; node++)
        {
            uniform.CopyTo(knots, node * layout.KnotCount);
        }

        var parameters = new double[layout.ParameterCount];
        Sampling.Randomize(parameters, 23 + gridSize);

        generated.ReplaceGrid(gridSize, (double[])knots.Clone(), (double[])parameters.Clone());
        reference.ReplaceGrid(gridSize, knots, parameters);

        Assert.Equal(gridSize, generated.GridSize);
        Assert.Equal(KernelCompiler.Namespace, DeferredKernel.Settled(generated.Kernel).GetType().Namespace);
        Assert.Equal(gridSize, generated.Kernel.GridSize);
        KernelAgreement.Outputs($"Toy251 on grid {gridSize}", generated, reference, seed: 9, count: 150);
        KernelAgreement.Gradients($"Toy251 on grid {gridSize}", generated, reference, seed: 10, count: 50);
    }
}
