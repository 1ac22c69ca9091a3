using KanCompile.Compilation;

namespace KanCompile;

public abstract partial class KanModel
{
    /// <summary>
    /// Starts preparing, in the background, the kernels this model will need after refining to each of
    /// <paramref name="gridSizes"/> (a grid schedule known in advance: the search's grid steps, the CLI's
    /// <c>--grids</c>), so the refine that meets them does not wait for the compiler. The model still always uses
    /// the compiled kernel for its grid, waiting for it if it is not ready, so results do not depend on timing.
    /// </summary>
    internal void PrepareGrids(IEnumerable<int> gridSizes)
    {
        if (Engine != KanEngine.Compiled)
        {
            return;
        }

        foreach (int gridSize in gridSizes)
        {
            if (gridSize >= 1 && GetCompiledKernel(gridSize) is null)
            {
                KernelProvider.Prefetch(Architecture.KernelSpecFor(gridSize));
            }
        }
    }
}
