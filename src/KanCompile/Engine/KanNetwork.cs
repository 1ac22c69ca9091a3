namespace KanCompile;

/// <summary>
/// A KAN whose shape is chosen at run time: the same interface and parameter layout as generated models.
/// By default it runs a kernel compiled on demand for its shape (<see cref="KanEngine.Compiled"/>); with
/// <see cref="KanEngine.Reference"/> it is the reference engine — the plain, readable kernels of
/// kan-math §2.2–2.4 that tests use as the oracle for every generated kernel.
/// </summary>
public sealed class KanNetwork : KanModel
{
    /// <summary>Creates a network initialised as pykan 0.2 does.</summary>
    /// <param name="widths">Node counts per layer, inputs first (pykan's <c>width</c>).</param>
    /// <param name="gridSize">Grid intervals G (default 5).</param>
    /// <param name="splineOrder">Spline order k (default 3).</param>
    /// <param name="seed">Random seed (default 1, as pykan).</param>
    /// <param name="baseFunction">Residual function (default SiLU).</param>
    /// <param name="gridMin">Lower end of the initial grid.</param>
    /// <param name="gridMax">Upper end of the initial grid.</param>
    /// <param name="engine">Compiled kernels (default) or the reference engine.</param>
    /// <param name="multiplicationNodes">
    /// Multiplication nodes per layer, inputs first (pykan's MultKAN): <c>widths [2, 5, 1]</c> with <c>[0, 2, 0]</c> is
    /// pykan's <c>width=[2,[5,2],1]</c>. Null (default) for none; the input and output entries must be 0.
    /// </param>
    /// <param name="multiplicationArity">Sub-nodes each multiplication node multiplies (pykan's <c>mult_arity</c>, at least 2).</param>
    /// <param name="beyondGrid">What the splines do beyond the grid's range: pykan's padding zone, then 0 (default), or continue smoothly.</param>
    public KanNetwork(int[] widths, int gridSize = 5, int splineOrder = 3, int seed = 1, KanBaseFunction baseFunction = KanBaseFunction.SiLU, double gridMin = -1.0, double gridMax = 1.0, KanEngine engine = KanEngine.Compiled, int[]? multiplicationNodes = null, int multiplicationArity = 2, KanBeyondGrid beyondGrid = KanBeyondGrid.Pykan)
        : this(new KanArchitecture(widths, gridSize, splineOrder, baseFunction, gridMin, gridMax, null, multiplicationNodes, multiplicationArity, beyondGrid), seed, engine)
    {
    }

    /// <summary>Creates a network from an architecture.</summary>
    /// <param name="architecture">Widths, grid, order, base function and grid range.</param>
    /// <param name="seed">Random seed (default 1, as pykan).</param>
    /// <param name="engine">Compiled kernels (default) or the reference engine.</param>
    public KanNetwork(KanArchitecture architecture, int seed = 1, KanEngine engine = KanEngine.Compiled)
        : base(architecture, seed, engine)
    {
    }
}
