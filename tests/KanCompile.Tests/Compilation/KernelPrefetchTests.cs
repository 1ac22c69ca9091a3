using KanCompile.Compilation;
using KanCompile.Engine;
using KanCompile.Generators.Model;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Compilation;

/// <summary>
/// A kernel prepared in the background for a scheduled refine (<see cref="KanModel.PrepareGrids"/>) is the kernel
/// the refine uses, compiled once, and training gives the same bits as without preparing: results never depend
/// on whether the background compile had finished.
/// </summary>
public class KernelPrefetchTests
{
    [Fact]
    public void Preparing_a_grid_changes_no_bit_and_compiles_it_once()
    {
        // [2,4,1] G=5 is built in; G=9 is used by no other test, so the count is this test's own.
        int[] widths = [2, 4, 1];
        var next = new KernelSpec(widths, 9, 3, KernelBaseFunction.SiLU);
        Assert.Null(PregeneratedKernels.Find(next));
        using var counter = new CompilationCounter(next);
        KanDataset data = KanDataset.FromFunction(x => Math.Sin(2 * x[0]) * x[1], inputCount: 2, trainCount: 60, testCount: 10);
        var options = new FitOptions { Steps = 3 };

        KanNetwork Train(bool prepare)
        {
            var model = new KanNetwork(widths, gridSize: 5, seed: 4);
            if (prepare)
            {
                model.PrepareGrids([9]);
            }

            model.Fit(data, options);
            model.Refine(9);
            model.Fit(data, options);
            return model;
        }

        KanNetwork prepared = Train(prepare: true);
        KanNetwork plain = Train(prepare: false);

        // Either model may hold the stand-in of a compile that had not finished (DeferredKernel): compare what it stands in for.
        KanKernel kernel = DeferredKernel.Settled(prepared.Kernel);
        Assert.IsNotType<ReferenceKernel>(kernel);
        Assert.Same(DeferredKernel.Settled(KernelProvider.Resolve(next)), kernel);
        Assert.Same(kernel, DeferredKernel.Settled(plain.Kernel));
        Assert.Equal(plain.Parameters.ToArray(), prepared.Parameters.ToArray());
        Assert.Equal(1, counter.Count);
    }
}
