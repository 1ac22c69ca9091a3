using KanCompile;

namespace ScalingLaws;

/// <summary>
/// The paper's wide model (Fig. 2.3): [2, 5, 1], k = 3, starting at G = 3, with a kernel compiled at build time
/// for every grid of the sweep.
/// </summary>
[KanModel(2, 5, 1, GridSize = 3, SplineOrder = 3, GridExtensions = new[] { 5, 10, 20, 50, 100, 200, 500, 1000 })]
public partial class Wide251
{
}

/// <summary>The paper's minimal model (Fig. 2.3): [2, 1, 1], the exact shape of exp(sin(πx) + y²).</summary>
[KanModel(2, 1, 1, GridSize = 3, SplineOrder = 3, GridExtensions = new[] { 5, 10, 20, 50, 100, 200, 500, 1000 })]
public partial class Minimal211
{
}
