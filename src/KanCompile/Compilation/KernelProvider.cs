using KanCompile.Engine;
using KanCompile.Generators.Model;

namespace KanCompile.Compilation;

/// <summary>
/// Supplies a kernel for shapes and grids no generated kernel covers. Today that is the reference engine;
/// kernels compiled on demand with the shared emitter plug in here.
/// </summary>
internal static class KernelProvider
{
    public static KanKernel Resolve(KernelSpec spec) => new ReferenceKernel(spec);
}
