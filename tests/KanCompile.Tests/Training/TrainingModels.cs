namespace KanCompile.Tests.Training;

/// <summary>The shape of the golden [2,3,1] fixtures, compiled by the generator.</summary>
[KanModel(2, 3, 1, GridSize = 5, SplineOrder = 3)]
public partial class Golden231 { }

/// <summary>pykan's quick-start shape, compiled by the generator.</summary>
[KanModel(2, 5, 1, GridSize = 5, SplineOrder = 3)]
public partial class QuickStart251 { }

/// <summary>pykan's hellokan model exactly: [2,5,1] on grid 3.</summary>
[KanModel(2, 5, 1, GridSize = 3, SplineOrder = 3)]
public partial class QuickStartGrid3 { }
