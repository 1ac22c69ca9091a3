namespace KanCompile.Tests.Support;

/// <summary>Exported C# against the model it came from: compiles the source in process and compares outputs.</summary>
internal static class ExportParity
{
    /// <summary>Asserts the exported <paramref name="typeName"/> gives the model's outputs to <paramref name="tolerance"/> (relative) at every input.</summary>
    public static void AssertMatches(KanModel model, string source, string typeName, IEnumerable<double[]> inputs, double tolerance)
    {
        var evaluate = InProcessCompiler.CompileSpanEvaluate(source, typeName);
        var y = new double[model.OutputCount];
        var exported = new double[model.OutputCount];
        int compared = 0;
        foreach (double[] x in inputs)
        {
            model.Forward(x, y);
            evaluate(x, exported);
            for (int o = 0; o < y.Length; o++)
            {
                Assert.True(double.IsFinite(y[o]), $"The model gives {y[o]} at x = [{string.Join(", ", x)}]; pick inputs in the domain.");
                double error = Sampling.RelativeError(exported[o], y[o]);
                Assert.True(error <= tolerance, $"Output {o} at x = [{string.Join(", ", x)}]: export {exported[o]:R}, model {y[o]:R} (relative error {error:E2}).");
                compared++;
            }
        }

        Assert.True(compared > 0);
    }

    /// <summary>Asserts the source depends on nothing of KanCompile (its name may appear in the header comment and strings).</summary>
    public static void AssertStandalone(string source) =>
        Assert.DoesNotContain("KanCompile.", source.Replace("KanCompile\"", string.Empty).Replace("exported by KanCompile", string.Empty));
}
