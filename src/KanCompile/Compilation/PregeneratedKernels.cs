using KanCompile.Generators.Model;

namespace KanCompile.Compilation;

/// <summary>
/// Kernels built into KanCompile itself by its own source generator, for the shapes that pruning, the quick-start,
/// the formula search and the CLI's default recipe produce most (spline order 3, SiLU, pykan's behaviour beyond the
/// grid, the default; the smooth continuation compiles on demand):
/// <list type="bullet">
/// <item>[n,1,1] and [n,2,1] for n = 1…3 on grids 3, 5, 10 and 20 (pruned models, the search's first shapes);</item>
/// <item>[n,3,1], [n,4,1] and the CLI's default [n,5,1] on grids 5, 10 and 20 (what pruning [n,5,1] leaves), and
/// [2,5,1] on grid 3 (pykan's quick start as a <see cref="KanNetwork"/>);</item>
/// <item>the structure search's Kolmogorov-width surrogate [3,7,1] on its grids 5 and 10 ([1,3,1] and [2,5,1] are above);</item>
/// <item>the search's MultKAN shapes, a product of two sums [n,[0,1],1] and a sum plus a product [n,[1,1],1]
/// (arity 2), for n = 1…3 on its grids 5 and 10.</item>
/// </list>
/// A model that meets one of these never waits for Roslyn, not even in its first process. They are the same code
/// the compiler would produce (one emitter), so results are the same bits either way.
/// </summary>
internal static class PregeneratedKernels
{
    /// <summary>The built-in kernel for <paramref name="spec"/>, or null when none is built in.</summary>
    public static KanKernel? Find(KernelSpec spec)
    {
        if (spec.SplineOrder != 3 || spec.BaseFunction != KernelBaseFunction.SiLU || spec.BeyondGrid != KernelBeyondGrid.Pykan || spec.Depth != 2
            || spec.Width(2) != 1 || spec.MultiplicationWidth(0) != 0 || spec.MultiplicationWidth(2) != 0)
        {
            return null;
        }

        KanModel? model = spec.HasMultiplication ? FindMultiplication(spec) : FindSums(spec);

        // Null for a grid the shape's class does not declare.
        return model?.DeclaredKernel(spec.GridSize);
    }

    private static KanModel? FindMultiplication(KernelSpec spec) =>
        spec.MultiplicationArity != 2 || spec.MultiplicationWidth(1) != 1 ? null : (spec.Width(0), spec.SumWidth(1)) switch
        {
            (1, 0) => Shape<Pregenerated1x0x1Product>.Model,
            (2, 0) => Shape<Pregenerated2x0x1Product>.Model,
            (3, 0) => Shape<Pregenerated3x0x1Product>.Model,
            (1, 1) => Shape<Pregenerated1x1x1Product>.Model,
            (2, 1) => Shape<Pregenerated2x1x1Product>.Model,
            (3, 1) => Shape<Pregenerated3x1x1Product>.Model,
            _ => null,
        };

    private static KanModel? FindSums(KernelSpec spec) =>
        (spec.Width(0), spec.Width(1)) switch
        {
            (1, 1) => Shape<Pregenerated1x1x1>.Model,
            (2, 1) => Shape<Pregenerated2x1x1>.Model,
            (3, 1) => Shape<Pregenerated3x1x1>.Model,
            (1, 2) => Shape<Pregenerated1x2x1>.Model,
            (2, 2) => Shape<Pregenerated2x2x1>.Model,
            (3, 2) => Shape<Pregenerated3x2x1>.Model,
            (1, 3) => Shape<Pregenerated1x3x1>.Model,
            (2, 3) => Shape<Pregenerated2x3x1>.Model,
            (3, 3) => Shape<Pregenerated3x3x1>.Model,
            (1, 4) => Shape<Pregenerated1x4x1>.Model,
            (2, 4) => Shape<Pregenerated2x4x1>.Model,
            (3, 4) => Shape<Pregenerated3x4x1>.Model,
            (1, 5) => Shape<Pregenerated1x5x1>.Model,
            (2, 5) => Shape<Pregenerated2x5x1>.Model,
            (3, 5) => Shape<Pregenerated3x5x1>.Model,
            (3, 7) => Shape<Pregenerated3x7x1>.Model,
            _ => null,
        };

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

[KanModel(1, 3, 1, GridSize = 5, GridExtensions = new[] { 10, 20 })]
internal sealed partial class Pregenerated1x3x1 { }

[KanModel(2, 3, 1, GridSize = 5, GridExtensions = new[] { 10, 20 })]
internal sealed partial class Pregenerated2x3x1 { }

[KanModel(3, 3, 1, GridSize = 5, GridExtensions = new[] { 10, 20 })]
internal sealed partial class Pregenerated3x3x1 { }

[KanModel(1, 4, 1, GridSize = 5, GridExtensions = new[] { 10, 20 })]
internal sealed partial class Pregenerated1x4x1 { }

[KanModel(2, 4, 1, GridSize = 5, GridExtensions = new[] { 10, 20 })]
internal sealed partial class Pregenerated2x4x1 { }

[KanModel(3, 4, 1, GridSize = 5, GridExtensions = new[] { 10, 20 })]
internal sealed partial class Pregenerated3x4x1 { }

[KanModel(1, 5, 1, GridSize = 5, GridExtensions = new[] { 10, 20 })]
internal sealed partial class Pregenerated1x5x1 { }

[KanModel(2, 5, 1, GridSize = 3, GridExtensions = new[] { 5, 10, 20 })]
internal sealed partial class Pregenerated2x5x1 { }

[KanModel(3, 5, 1, GridSize = 5, GridExtensions = new[] { 10, 20 })]
internal sealed partial class Pregenerated3x5x1 { }

[KanModel(3, 7, 1, GridSize = 5, GridExtensions = new[] { 10 })]
internal sealed partial class Pregenerated3x7x1 { }

[KanModel(1, 0, 1, MultiplicationNodes = new[] { 0, 1, 0 }, GridSize = 5, GridExtensions = new[] { 10 })]
internal sealed partial class Pregenerated1x0x1Product { }

[KanModel(1, 1, 1, MultiplicationNodes = new[] { 0, 1, 0 }, GridSize = 5, GridExtensions = new[] { 10 })]
internal sealed partial class Pregenerated1x1x1Product { }

[KanModel(2, 0, 1, MultiplicationNodes = new[] { 0, 1, 0 }, GridSize = 5, GridExtensions = new[] { 10 })]
internal sealed partial class Pregenerated2x0x1Product { }

[KanModel(2, 1, 1, MultiplicationNodes = new[] { 0, 1, 0 }, GridSize = 5, GridExtensions = new[] { 10 })]
internal sealed partial class Pregenerated2x1x1Product { }

[KanModel(3, 0, 1, MultiplicationNodes = new[] { 0, 1, 0 }, GridSize = 5, GridExtensions = new[] { 10 })]
internal sealed partial class Pregenerated3x0x1Product { }

[KanModel(3, 1, 1, MultiplicationNodes = new[] { 0, 1, 0 }, GridSize = 5, GridExtensions = new[] { 10 })]
internal sealed partial class Pregenerated3x1x1Product { }
