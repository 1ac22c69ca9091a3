namespace KanCompile;

/// <summary>
/// Declares a Kolmogorov-Arnold Network on a <c>partial class</c>. The KanCompile source generator emits
/// forward and gradient kernels specialised to exactly these widths, grid size, spline order and base
/// function, and makes the class a <see cref="KanModel"/> implementing <see cref="IKanModel"/>.
/// </summary>
/// <example>
/// <code>
/// [KanModel(2, 5, 1, GridSize = 5, SplineOrder = 3, GridExtensions = new[] { 10, 20 })]
/// public partial class ToyKan { }
///
/// [KanModel(2, 5, 1, MultiplicationNodes = new[] { 0, 2, 0 }, MultiplicationArity = 2)]
/// public partial class ProductKan { }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class KanModelAttribute : Attribute
{
    /// <summary>Declares the layer widths, inputs first and outputs last (pykan's <c>width</c>).</summary>
    public KanModelAttribute(params int[] widths)
    {
        Widths = widths;
    }

    /// <summary>Node counts per layer, inputs first and outputs last.</summary>
    public int[] Widths { get; }

    /// <summary>Number of grid intervals G (pykan's <c>grid</c>). Default 5.</summary>
    public int GridSize { get; set; } = 5;

    /// <summary>Spline order k (piecewise-polynomial degree), 0 to 7. Default 3.</summary>
    public int SplineOrder { get; set; } = 3;

    /// <summary>Lower end of the initial grid (pykan's <c>grid_range[0]</c>). Default -1.</summary>
    public double GridMin { get; set; } = -1.0;

    /// <summary>Upper end of the initial grid (pykan's <c>grid_range[1]</c>). Default 1.</summary>
    public double GridMax { get; set; } = 1.0;

    /// <summary>
    /// Grid sizes the model can later be refined to, strictly increasing and above <see cref="GridSize"/>;
    /// each gets its own compiled kernel.
    /// </summary>
    public int[] GridExtensions { get; set; } = Array.Empty<int>();

    /// <summary>The residual function b(x). Default <see cref="KanBaseFunction.SiLU"/>.</summary>
    public KanBaseFunction BaseFunction { get; set; } = KanBaseFunction.SiLU;

    /// <summary>
    /// Multiplication nodes per layer, one count per width (pykan's MultKAN): <c>[KanModel(2, 5, 1, MultiplicationNodes
    /// = new[] { 0, 2, 0 })]</c> is pykan's <c>width=[2,[5,2],1]</c>, a hidden layer of 5 addition and 2 multiplication
    /// nodes. Only hidden layers may hold them. Default: none.
    /// </summary>
    public int[] MultiplicationNodes { get; set; } = Array.Empty<int>();

    /// <summary>Sub-nodes each multiplication node multiplies (pykan's <c>mult_arity</c>), at least 2. Default 2.</summary>
    public int MultiplicationArity { get; set; } = 2;

    /// <summary>
    /// What the splines do for inputs beyond the grid's real range (docs/grids.md). Default
    /// <see cref="KanBeyondGrid.Pykan"/> (pykan's padding zone, then 0); <see cref="KanBeyondGrid.Smooth"/> continues
    /// each spline with its boundary value and slope.
    /// </summary>
    public KanBeyondGrid BeyondGrid { get; set; } = KanBeyondGrid.Pykan;
}
