using KanCompile.Compilation;
using KanCompile.Engine;
using KanCompile.Generators.Emit;
using KanCompile.Generators.Model;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Compilation;

/// <summary>Where kernels cannot be compiled the reference engine takes over, with the same results.</summary>
public class KernelFallbackTests
{
    [Fact]
    public void Disabled_compilation_falls_back_to_the_reference_engine()
    {
        var architecture = new KanArchitecture(new[] { 3, 7, 2 }, gridSize: 13, splineOrder: 2);
        var compiled = new KanNetwork(architecture, seed: 6);
        KanNetwork fallback;
        using (KernelProvider.DisableCompilationHere())
        {
            fallback = new KanNetwork(architecture, seed: 6);
            Assert.Contains("disabled", KernelProvider.FallbackReason);
        }

        Sampling.Randomize(compiled.Parameters, 29);
        compiled.Parameters.CopyTo(fallback.Parameters);

        Assert.Equal(KanEngine.Compiled, fallback.Engine);
        Assert.IsType<ReferenceKernel>(fallback.Kernel);
        Assert.IsNotType<ReferenceKernel>(compiled.Kernel);
        KernelAgreement.Outputs("fallback 3x7x2 G13 k2", fallback, compiled, seed: 12, count: 100);
        KernelAgreement.Gradients("fallback 3x7x2 G13 k2", fallback, compiled, seed: 13, count: 40);
    }

    [Fact]
    public void Disabling_is_scoped_to_the_using_block()
    {
        // Not one of the built-in shapes (PregeneratedKernels), which need no compiler and so never fall back.
        var spec = new KernelSpec(new[] { 2, 5, 1 }, 6, 3, KernelBaseFunction.SiLU);
        using (KernelProvider.DisableCompilationHere())
        {
            Assert.IsType<ReferenceKernel>(KernelProvider.Resolve(spec));
        }

        Assert.IsNotType<ReferenceKernel>(KernelProvider.Resolve(spec));
    }

    [Fact]
    public void Shapes_too_large_for_stack_scratch_use_the_reference_engine()
    {
        var spec = new KernelSpec(new[] { 3000, 1 }, 3, 3, KernelBaseFunction.SiLU);
        Assert.True(KernelEmitter.ScratchBytes(spec) > KernelEmitter.MaxScratchBytes);

        KanKernel kernel = KernelProvider.Resolve(spec);

        Assert.IsType<ReferenceKernel>(kernel);
    }
}
