using System.Text.Json.Serialization;
using KanCompile.Cli.Fitting;
using KanCompile.Cli.Inspection;

namespace KanCompile.Cli.Output;

/// <summary>
/// Source-generated (reflection-free) JSON for the tool's machine-readable output: camelCase names, absent
/// optional values left out, NaN written as a string rather than breaking the document.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(FitSummary))]
[JsonSerializable(typeof(ModelInfo))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
}
