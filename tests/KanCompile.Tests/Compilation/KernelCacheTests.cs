using System.Collections.Concurrent;
using KanCompile.Compilation;
using KanCompile.Engine;
using KanCompile.Generators.Model;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Compilation;

/// <summary>Each shape is compiled once per process, whether requested in turn or by many threads at once.</summary>
public class KernelCacheTests
{
    [Fact]
    public void Repeated_requests_reuse_one_compiled_kernel()
    {
        // A shape no other test uses, so the count is not disturbed by tests running in parallel.
        var spec = new KernelSpec(new[] { 2, 2, 1 }, 11, 1, KernelBaseFunction.SiLU);
        using var counter = new CompilationCounter(spec);

        KanKernel first = KernelProvider.Resolve(spec);
        KanKernel second = KernelProvider.Resolve(new KernelSpec(new[] { 2, 2, 1 }, 11, 1, KernelBaseFunction.SiLU));
        var network = new KanNetwork(new[] { 2, 2, 1 }, gridSize: 11, splineOrder: 1);

        Assert.Same(first, second);
        Assert.Same(first, network.Kernel);

        // Order 1 has a stand-in, so Resolve returns before the background compile ends: wait for it, then count.
        _ = DeferredKernel.Settled(first);
        Assert.Equal(1, counter.Count);
    }

    [Fact]
    public void Concurrent_requests_compile_a_shape_exactly_once()
    {
        var spec = new KernelSpec(new[] { 1, 3, 1 }, 9, 3, KernelBaseFunction.Identity);
        using var counter = new CompilationCounter(spec);
        const int threads = 6;
        var kernels = new KanKernel[threads];
        using var start = new Barrier(threads);

        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            start.SignalAndWait();
            kernels[i] = KernelProvider.Resolve(new KernelSpec(new[] { 1, 3, 1 }, 9, 3, KernelBaseFunction.Identity));
        });

        // The shape has a stand-in, so Resolve returns before the background compile ends: wait for it, then count.
        KanKernel compiled = DeferredKernel.Settled(kernels[0]);
        Assert.Equal(1, counter.Count);
        Assert.All(kernels, kernel => Assert.Same(kernels[0], kernel));
        Assert.IsNotType<ReferenceKernel>(compiled);
    }

    [Fact]
    public void Distinct_shapes_get_distinct_kernels()
    {
        // Shapes other tests compile too: whichever test comes first pays for the compilation.
        var small = new KernelSpec(new[] { 2, 5, 1 }, 5, 3, KernelBaseFunction.SiLU);
        var odd = new KernelSpec(new[] { 3, 7, 2 }, 13, 2, KernelBaseFunction.SiLU);

        KanKernel first = KernelProvider.Resolve(small);
        KanKernel second = KernelProvider.Resolve(odd);

        Assert.NotSame(first, second);
        Assert.Equal(new[] { 2, 5, 1 }, first.Widths);
        Assert.Equal(new[] { 3, 7, 2 }, second.Widths);
        Assert.Equal(13, second.GridSize);
        Assert.Equal(2, second.SplineOrder);
    }

    [Fact]
    public void Reference_engine_is_never_compiled()
    {
        var spec = new KernelSpec(new[] { 4, 1 }, 8, 2, KernelBaseFunction.SiLU);
        using var counter = new CompilationCounter(spec);

        var network = new KanNetwork(new[] { 4, 1 }, gridSize: 8, splineOrder: 2, engine: KanEngine.Reference);

        Assert.IsType<ReferenceKernel>(network.Kernel);
        Assert.Equal(KanEngine.Reference, network.Engine);
        Assert.Equal(0, counter.Count);
    }
}
