namespace KanCompile.Tests.Models;

/// <summary>The shape of golden/forward_2_3_1.json (reg, attribute, update_grid and refine use it too).</summary>
[KanModel(2, 3, 1, GridSize = 5, SplineOrder = 3, BeyondGrid = KanBeyondGrid.Pykan)]
public partial class Golden231 { }

/// <summary>The shape of golden/forward_3_4_2.json, with pykan's behaviour beyond the grid.</summary>
[KanModel(3, 4, 2, GridSize = 7, SplineOrder = 2, BeyondGrid = KanBeyondGrid.Pykan)]
public partial class Golden342K2 { }

/// <summary>The shape of golden/forward_1_1.json, with pykan's behaviour beyond the grid.</summary>
[KanModel(1, 1, GridSize = 3, SplineOrder = 1, BeyondGrid = KanBeyondGrid.Pykan)]
public partial class Golden11K1 { }
