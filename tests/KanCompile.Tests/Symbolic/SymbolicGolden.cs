using System.Text.Json;

namespace KanCompile.Tests.Symbolic;

/// <summary>Reads the pykan fixtures symbolic_fit.json and formula.json from the output folder Golden/.</summary>
internal static class SymbolicGolden
{
    public static JsonElement Load(string file)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Golden", file);
        using var stream = File.OpenRead(path);
        return JsonDocument.Parse(stream).RootElement.Clone();
    }

    public static double[] Doubles(this JsonElement element) => element.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    public static double[][] Matrix(this JsonElement element) => element.EnumerateArray().Select(Doubles).ToArray();
}
