namespace KanCompile.Tests.SymbolicModel;

/// <summary>The pruned quick-start shape, generated so the end-to-end test compiles nothing at run time.</summary>
[KanModel(2, 1, 1, GridSize = 5)]
public partial class QuickStart211 { }
