using System.Text.Json.Serialization;

namespace KanCompile.Persistence;

/// <summary>
/// Source-generated System.Text.Json metadata for the model file: no reflection, trimming-safe. Doubles are
/// written in shortest round-trip form, so a save/load round trip is bit-exact.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(KanModelDocument))]
[JsonSerializable(typeof(KanModelHeader))]
internal sealed partial class KanModelJsonContext : JsonSerializerContext
{
}
