using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using KanCompile.Compilation;
using KanCompile.Generators.Model;

namespace KanCompile.Tests.Compilation;

/// <summary>
/// What <see cref="StandInWithoutVectorsTests"/> runs in a child process started without 256-bit vectors (or AVX): the
/// stand-in's bit-identity comparisons of <see cref="RuntimeShapedKernelTests"/> and <see cref="RuntimeShapedInputDerivativeTests"/>
/// against built-in kernels and kernels the parent compiled (spline orders 0 to 7, and continued at orders 0, 2, 3 and 5) (loaded from its kernel cache, so no Roslyn here), their
/// allocation checks, and <see cref="KernelStandInTests"/>' fit with the compile held back, whose bits it prints for the
/// parent to compare with the same fit on its vectors, and the same for a fit at spline order 5. Exit code 0 when everything passed; the failure otherwise.
/// </summary>
internal static class StandInWithoutVectorsChild
{
    public const string Command = "stand-in-without-vectors";

    /// <summary>The line that reports the host, which the parent checks: the runtime switch must have taken effect.</summary>
    public static string HostLine => $"host: Vector256.IsHardwareAccelerated={Vector256.IsHardwareAccelerated} Avx.IsSupported={Avx.IsSupported} Fma.IsSupported={Fma.IsSupported} Vector128.IsHardwareAccelerated={Vector128.IsHardwareAccelerated}";

    /// <param name="args">The parent's kernel cache directory.</param>
    public static int Run(string[] args)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string Elapsed() => $" ({clock.Elapsed.TotalSeconds:F1} s)";
        Console.WriteLine(HostLine);
        if (Vector256.IsHardwareAccelerated)
        {
            Console.WriteLine("Vector256 is accelerated: the runtime switch did not take effect, nothing was compared without vectors.");
            return 2;
        }

        try
        {
            var parentCache = new KernelCache(args[0]);
            foreach (KernelSpec spec in StandInWithoutVectorsTests.BuiltInSpecs)
            {
                // Backward and the symbolic members have no branch on the host: the compiled kernels below cover them here.
                RuntimeShapedKernelTests.AssertSameBits(spec, PregeneratedKernels.Find(spec)!, everyMember: false);
            }

            // The generated continued model (table windows on vector hosts, the scalar Horner here; one output at k = 3).
            RuntimeShapedKernelTests.AssertSameBits(new KernelSpec([4, 16, 16, 1], 10, 3, KernelBaseFunction.SiLU, beyondGrid: KernelBeyondGrid.Smooth), new Models.Wide4x16x16x1(1).Kernel, everyMember: false);

            foreach (KernelSpec spec in StandInWithoutVectorsTests.CompiledSpecs)
            {
                RuntimeShapedKernelTests.AssertSameBits(spec, KernelCompiler.Compile(spec, parentCache));
            }

            Console.WriteLine($"batch path, Forward and Trace: {StandInWithoutVectorsTests.BuiltInSpecs.Length} built-in kernels, the generated Smooth model and {StandInWithoutVectorsTests.CompiledSpecs.Length} compiled kernels; Backward and the symbolic members: the compiled ones; same bits" + Elapsed());
            RuntimeShapedInputDerivativeTests.AssertDerivatives(StandInWithoutVectorsTests.DerivativeSpec, builtIn: true);
            RuntimeShapedInputDerivativeTests.AssertSymbolicDerivatives(StandInWithoutVectorsTests.DerivativeSpec, builtIn: true);
            foreach (KernelSpec spec in StandInWithoutVectorsTests.CompiledDerivativeSpecs)
            {
                RuntimeShapedInputDerivativeTests.AssertDerivatives(spec, builtIn: false, maskPhase: 3, KernelCompiler.Compile(spec, parentCache));
            }

            Console.WriteLine("input derivatives and their loss gradients: same bits" + Elapsed());
            new RuntimeShapedKernelTests().Warm_calls_allocate_nothing();
            new RuntimeShapedInputDerivativeTests().Warm_calls_allocate_nothing();
            Console.WriteLine("warm calls at k = 1, 2, 3 and 5 and continued at k = 3 and 5: 0 B" + Elapsed());

            // The fit: on the stand-in with the compile held, switched mid-fit, compiled only. The "compile" loads the parent's kernel.
            KernelSpec fit = StandInWithoutVectorsTests.FitSpec;
            string key = KernelCache.KeyOf(KernelCompiler.WriteSource(fit));
            KernelStandInTests.Run run = KernelStandInTests.AssertSameBitsInThreeTimings(fit.Widths, fit.GridSize, switchStep: 6, (model, progress) => KernelStandInTests.Train(model, StandInWithoutVectorsTests.FitData(), progress),
                beforeRelease: () =>
                {
                    Directory.CreateDirectory(KernelCache.Default!.Directory);
                    File.Copy(parentCache.PathOf(key), KernelCache.Default.PathOf(key), overwrite: true);
                })!;
            Console.WriteLine("fit on the stand-in, switched mid-fit, compiled: same bits" + Elapsed());
            Console.WriteLine(StandInWithoutVectorsTests.FitLine(run));
            Console.WriteLine(StandInWithoutVectorsTests.LatticeFit());

            // The fit at spline order 5, the same three ways; its bits must be the parent's.
            KernelSpec other = StandInWithoutVectorsTests.OtherOrderFitSpec;
            string otherKey = KernelCache.KeyOf(KernelCompiler.WriteSource(other));
            KernelStandInTests.Run otherRun = KernelStandInTests.AssertSameBitsInThreeTimings(other.Widths, other.GridSize, switchStep: 6, (model, progress) => KernelStandInTests.Train(model, StandInWithoutVectorsTests.OtherOrderFitData(), progress),
                splineOrder: other.SplineOrder,
                beforeRelease: () => File.Copy(parentCache.PathOf(otherKey), KernelCache.Default!.PathOf(otherKey), overwrite: true))!;
            Console.WriteLine("order 5 " + StandInWithoutVectorsTests.FitLine(otherRun));
            Console.WriteLine($"kernels compiled by Roslyn in this process: {KernelCompiler.CompiledCount}");
            return 0;
        }
        catch (Exception exception)
        {
            Console.WriteLine(exception);
            return 1;
        }
    }
}
