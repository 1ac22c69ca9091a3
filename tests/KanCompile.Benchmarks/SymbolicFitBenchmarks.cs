using BenchmarkDotNet.Attributes;
using KanCompile.Symbolic;

namespace KanCompile.Benchmarks;

/// <summary>
/// pykan's fit_params (101×101 grid, 3 zooms) on 1000 samples of one edge, one thread, for a cheap entry (x^2, vectorised
/// and dominated by the grid sums), the scalar Math entries (sin, log) and one Math.Pow entry (1/x^2).
/// </summary>
[MemoryDiagnoser]
public class SymbolicFitBenchmarks
{
    private static readonly SymbolicFitOptions Sequential = new() { MaxDegreeOfParallelism = 1 };
    private double[] _x = [];
    private double[] _y = [];

    [Params("x^2", "sin", "log", "1/x^2")]
    public string Function { get; set; } = "sin";

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _x = Enumerable.Range(0, 1000).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        _y = _x.Select(v => Math.Sin(3 * v) + 0.01 * random.NextDouble()).ToArray();
    }

    [Benchmark(Description = "FitParameters, 1000 samples, 1 thread")]
    public double FitParameters() => SymbolicFit.FitParameters(_x, _y, SymbolicLibrary.Default[Function], Sequential).RSquared;
}
