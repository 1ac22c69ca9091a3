using KanCompile.Generators.Helpers;

namespace KanCompile.Generators.Model;

/// <summary>
/// Everything needed to emit one [KanModel] class. Contract: immutable and structurally equatable — only
/// strings, numbers and <see cref="EquatableArray{T}"/> — so unrelated edits leave the pipeline cached. No
/// symbols, syntax nodes or compilations may ever be stored here.
/// </summary>
internal sealed record KanModelSpec(
    string? Namespace,
    string ClassName,
    string HintName,
    EquatableArray<int> Widths,
    int GridSize,
    int SplineOrder,
    double GridMin,
    double GridMax,
    EquatableArray<int> GridExtensions,
    int BaseFunction,
    EquatableArray<int> MultiplicationNodes,
    int MultiplicationArity,
    int BeyondGrid)
{
    /// <summary>The kernel shape for one grid size.</summary>
    public KernelSpec KernelFor(int gridSize) =>
        new KernelSpec(Widths.ToArray(), gridSize, SplineOrder, (KernelBaseFunction)BaseFunction, MultiplicationNodes.ToArray(), MultiplicationArity, (KernelBeyondGrid)BeyondGrid);
}

/// <summary>The outcome of parsing one attributed class: a spec to emit (when valid) and diagnostics.</summary>
internal sealed record KanModelParseResult(KanModelSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);
