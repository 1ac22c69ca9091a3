using System.Text.Encodings.Web;
using System.Text.Json;
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
    /// <summary>
    /// The context the tool prints with: as <see cref="Default"/>, but without escaping the characters formulas are
    /// made of ('+' would read "\u002B"). Safe here: the output is a standalone document, never embedded in HTML.
    /// </summary>
    public static CliJsonContext Output => s_output ??= new(new JsonSerializerOptions(Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, TypeInfoResolver = null });

    private static CliJsonContext? s_output;
}
