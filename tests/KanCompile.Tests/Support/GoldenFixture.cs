using System.Text.Json;

namespace KanCompile.Tests.Support;

/// <summary>Reads the pykan fixtures (tests/KanCompile.Tests/Golden, copied from shared/golden): the one loader
/// every area's golden tests use, plus the array readers (as extension methods: <c>json.Vector()</c>).</summary>
public static class GoldenFixture
{
    /// <summary>The root of Golden/<paramref name="name"/> from the test output folder.</summary>
    public static JsonElement Load(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Golden", name);
        using var stream = File.OpenRead(path);
        return JsonDocument.Parse(stream).RootElement.Clone();
    }

    public static double[] Vector(this JsonElement element) => element.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    public static double[][] Matrix(this JsonElement element) => element.EnumerateArray().Select(Vector).ToArray();

    public static double[][][] Cube(this JsonElement element) => element.EnumerateArray().Select(Matrix).ToArray();

    /// <summary>Flattens a [N][d] matrix row-major.</summary>
    public static double[] Rows(this JsonElement element) => Matrix(element).SelectMany(r => r).ToArray();

    /// <summary>
    /// Builds a model from a fixture's <c>model</c> object: widths, grid, order, and every tensor written into
    /// our layout (coef[in][out][G+k], scale_base[in][out], scale_sp[in][out]; masks [in][out]; the stored knots).
    /// </summary>
    public static KanNetwork Model(JsonElement model) => (KanNetwork)Into(
        new KanNetwork(model.GetProperty("width").EnumerateArray().Select(w => w.GetInt32()).ToArray(), model.GetProperty("grid_intervals").GetInt32(), model.GetProperty("spline_order").GetInt32()),
        model);

    /// <summary>Writes a fixture's tensors into an existing model of the same shape.</summary>
    public static KanModel Into(KanModel target, JsonElement model)
    {
        int g = model.GetProperty("grid_intervals").GetInt32();
        int k = model.GetProperty("spline_order").GetInt32();
        var layers = model.GetProperty("layers").EnumerateArray().ToArray();
        var knots = new List<double>();
        var parameters = new List<double>();
        var masks = new List<double>();
        foreach (JsonElement layer in layers)
        {
            foreach (JsonElement row in layer.GetProperty("grid").EnumerateArray())
            {
                knots.AddRange(Vector(row));
            }

            foreach (JsonElement input in layer.GetProperty("coef").EnumerateArray())
            {
                foreach (JsonElement edge in input.EnumerateArray())
                {
                    parameters.AddRange(Vector(edge));
                }
            }

            parameters.AddRange(Matrix(layer.GetProperty("scale_base")).SelectMany(r => r));
            parameters.AddRange(Matrix(layer.GetProperty("scale_sp")).SelectMany(r => r));
            masks.AddRange(Matrix(layer.GetProperty("mask")).SelectMany(r => r));
        }

        Assert.Equal(k, target.SplineOrder);
        target.ReplaceGrid(g, knots.ToArray(), parameters.ToArray());
        masks.ToArray().CopyTo(target.MaskBuffer, 0);
        return target;
    }
}
