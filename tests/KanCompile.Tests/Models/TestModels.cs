using KanCompile;

namespace KanCompile.Tests.Models;

// Shapes the generated-vs-reference tests cover: every spline order 0..5, all base functions, deep and wide, and both
// behaviours beyond the grid (pykan's, the default, and the smooth continuation on Line11K1, Step231K0, Quad342K2,
// Quintic231K5, Wide4x16x16x1 and TinyGrid31K2).

/// <summary>The quick-start shape with two declared grid extensions.</summary>
[KanModel(2, 5, 1, GridSize = 5, SplineOrder = 3, GridExtensions = new[] { 10, 20 })]
public partial class Toy251 { }

[KanModel(1, 1, GridSize = 3, SplineOrder = 1, BeyondGrid = KanBeyondGrid.Smooth)]
public partial class Line11K1 { }

[KanModel(2, 3, 1, GridSize = 4, SplineOrder = 0, BeyondGrid = KanBeyondGrid.Smooth)]
public partial class Step231K0 { }

[KanModel(3, 4, 2, GridSize = 7, SplineOrder = 2, BeyondGrid = KanBeyondGrid.Smooth)]
public partial class Quad342K2 { }

[KanModel(2, 3, 2, 1, GridSize = 6, SplineOrder = 4, BaseFunction = KanBaseFunction.Identity)]
public partial class Deep2321K4 { }

[KanModel(2, 3, 1, GridSize = 6, SplineOrder = 5, GridMin = -2, GridMax = 3, BaseFunction = KanBaseFunction.Zero, BeyondGrid = KanBeyondGrid.Smooth)]
public partial class Quintic231K5 { }

[KanModel(4, 16, 16, 1, GridSize = 10, SplineOrder = 3, BeyondGrid = KanBeyondGrid.Smooth)]
public partial class Wide4x16x16x1 { }

[KanModel(10, 32, 32, 1, GridSize = 20, SplineOrder = 3)]
public partial class Large10x32x32x1 { }

[KanModel(3, 1, GridSize = 1, SplineOrder = 2, BeyondGrid = KanBeyondGrid.Smooth)]
public partial class TinyGrid31K2 { }

[KanModel(100, 10, 1, GridSize = 10, SplineOrder = 3)]
public partial class Broad100x10x1 { }
