namespace KanCompile.Tests.Models;

/// <summary>The shape of golden/forward_2_3_1.json (reg, attribute, update_grid and refine use it too).</summary>
[KanModel(2, 3, 1, GridSize = 5, SplineOrder = 3)]
public partial class Golden231 { }
