using KanCompile.Generators.Helpers;
using KanCompile.Generators.Model;

namespace KanCompile.Generators.Formulas;

/// <summary>
/// One [KanFormula] class as plain values (no symbols): where to emit it and which file it names.
/// Contract: immutable and structurally equatable, like every pipeline model.
/// </summary>
internal sealed record KanFormulaRequest(
    string? Namespace,
    string ClassName,
    string HintName,
    string ModelPath,
    LocationInfo? Location,
    EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>An AdditionalFiles item: its path and text (null when unreadable).</summary>
internal sealed record AdditionalFileInfo(string Path, string? Text);

/// <summary>What to add for one [KanFormula] class: source (when the file was usable) and diagnostics.</summary>
internal sealed record KanFormulaResult(string HintName, string? Source, EquatableArray<DiagnosticInfo> Diagnostics);
