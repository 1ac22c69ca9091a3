using KanCompile;

namespace ScalingLaws;

/// <summary>
/// The paper's wide model (Fig. 2.3): [2, 5, 1], k = 3, starting at G = 3, with a kernel compiled at build time
/// for every grid of the sweep; pykan's behaviour beyond the grid (the default: padding zone, then 0).
/// </summary>
[KanModel(2, 5, 1, GridSize = 3, SplineOrder = 3, GridExtensions = new[] { 5, 10, 20, 50, 100, 200, 500, 1000 })]
public partial class Wide251
{
}

/// <summary>The paper's minimal model (Fig. 2.3): [2, 1, 1], the exact shape of exp(sin(πx) + y²); pykan's behaviour beyond the grid.</summary>
[KanModel(2, 1, 1, GridSize = 3, SplineOrder = 3, GridExtensions = new[] { 5, 10, 20, 50, 100, 200, 500, 1000 })]
public partial class Minimal211
{
}

/// <summary><see cref="Wide251"/> with splines that continue with their boundary value and slope beyond the grid.</summary>
[KanModel(2, 5, 1, GridSize = 3, SplineOrder = 3, GridExtensions = new[] { 5, 10, 20, 50, 100, 200, 500, 1000 }, BeyondGrid = KanBeyondGrid.Smooth)]
public partial class Wide251Smooth
{
}

/// <summary><see cref="Minimal211"/> with splines that continue with their boundary value and slope beyond the grid.</summary>
[KanModel(2, 1, 1, GridSize = 3, SplineOrder = 3, GridExtensions = new[] { 5, 10, 20, 50, 100, 200, 500, 1000 }, BeyondGrid = KanBeyondGrid.Smooth)]
public partial class Minimal211Smooth
{
}
