using KanCompile.Generators.Model;

namespace KanCompile.Compilation;

/// <summary>
/// Kernels built into KanCompile itself by its own source generator, for the small shapes that pruning, the
/// quick-start and the CLI's default recipe produce most: [n,1,1] and [n,2,1] for n = 1…3 on grids 3, 5, 10 and 20,
/// and the CLI's default [n,5,1] on grids 5, 10 and 20 (spline order 3, SiLU, pykan's behaviour beyond the grid, the
/// default; the smooth continuation compiles on demand). A model that meets one of these never waits for
/// Roslyn, not even in its first process. They are the same code the compiler would produce (one emitter), so
/// results are the same bits either way.
/// </summary>
internal static class PregeneratedKernels
{
    private static readonly int[] Grids = [3, 5, 10, 20];

    /// <summary>The built-in kernel for <paramref name="spec"/>, or null when none is built in.</summary>
    public static KanKernel? Find(KernelSpec spec)
    {
        if (spec.SplineOrder != 3 || spec.BaseFunction != KernelBaseFunction.SiLU || spec.BeyondGrid != KernelBeyondGrid.Pykan || spec.HasMultiplication || spec.Depth != 2
            || spec.Width(2) != 1 || Array.IndexOf(Grids, spec.GridSize) < 0)
        {
            return null;
        }

        KanModel? model = (spec.Width(0), spec.Width(1)) switch
        {
            (1, 1) => Shape<Pregenerated1x1x1>.Model,
            (2, 1) => Shape<Pregenerated2x1x1>.Model,
            (3, 1) => Shape<Pregenerated3x1x1>.Model,
            (1, 2) => Shape<Pregenerated1x2x1>.Model,
            (2, 2) => Shape<Pregenerated2x2x1>.Model,
            (3, 2) => Shape<Pregenerated3x2x1>.Model,
            (1, 5) => Shape<Pregenerated1x5x1>.Model,
            (2, 5) => Shape<Pregenerated2x5x1>.Model,
            (3, 5) => Shape<Pregenerated3x5x1>.Model,
            _ => null,
        };
        return model?.DeclaredKernel(spec.GridSize);
    }

    // One instance per shape, created on first use: a model only to reach its generated kernels.
    private static class Shape<T>
        where T : KanModel, new()
    {
        public static readonly KanModel Model = new T();
    }
}

[KanModel(1, 1, 1, GridSize = 3, GridExtensions = new[] { 5, 10, 20 })]
internal sealed partial class Pregenerated1x1x1 { }

[KanModel(2, 1, 1, GridSize = 3, GridExtensions = new[] { 5, 10, 20 })]
internal sealed partial class Pregenerated2x1x1 { }

[KanModel(3, 1, 1, GridSize = 3, GridExtensions = new[] { 5, 10, 20 })]
internal sealed partial class Pregenerated3x1x1 { }

[KanModel(1, 2, 1, GridSize = 3, GridExtensions = new[] { 5, 10, 20 })]
internal sealed partial class Pregenerated1x2x1 { }

[KanModel(2, 2, 1, GridSize = 3, GridExtensions = new[] { 5, 10, 20 })]
internal sealed partial class Pregenerated2x2x1 { }

[KanModel(3, 2, 1, GridSize = 3, GridExtensions = new[] { 5, 10, 20 })]
internal sealed partial class Pregenerated3x2x1 { }

[KanModel(1, 5, 1, GridSize = 5, GridExtensions = new[] { 10, 20 })]
internal sealed partial class Pregenerated1x5x1 { }

[KanModel(2, 5, 1, GridSize = 5, GridExtensions = new[] { 10, 20 })]
internal sealed partial class Pregenerated2x5x1 { }

[KanModel(3, 5, 1, GridSize = 5, GridExtensions = new[] { 10, 20 })]
internal sealed partial class Pregenerated3x5x1 { }
