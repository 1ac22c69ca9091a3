using KanCompile.Generators.Helpers;

namespace KanCompile.Generators.Model;

/// <summary>A diagnostic to report, as plain values: the catalog id, where, and the message arguments.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments);
