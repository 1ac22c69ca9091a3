using KanCompile.Symbolic;
using Xunit.Abstractions;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Symbolic;

/// <summary>SymbolicFit.SuggestSymbolic with pykan's grid against pykan's suggest_symbolic ranking (golden/symbolic_fit.json).</summary>
public sealed class SuggestSymbolicGoldenTests(ITestOutputHelper output)
{
    /// <summary>The golden edge's whole library ranked with <paramref name="options"/>, and pykan's ranking of it.</summary>
    internal static (IReadOnlyList<SymbolicCandidate> Ranking, System.Text.Json.JsonElement[] Expected) RankGoldenEdge(SymbolicFitOptions? options)
    {
        var golden = GoldenFixture.Load("symbolic_fit.json").GetProperty("suggest_symbolic");
        double[] x = golden.GetProperty("x").Vector();
        double[] y = golden.GetProperty("y").Vector();
        string[] lib = golden.GetProperty("lib").EnumerateArray().Select(e => e.GetString()!).ToArray();
        var ranking = SymbolicFit.SuggestSymbolic(x, y, SymbolicLibrary.Create(lib), topK: lib.Length,
            weightSimple: golden.GetProperty("weight_simple").GetDouble(), options: options);
        return (ranking, golden.GetProperty("ranking").EnumerateArray().ToArray());
    }

    [Fact]
    public void RankingOrderAndRSquaredMatchPykan()
    {
        var (ranking, expected) = RankGoldenEdge(SymbolicFitOptions.Pykan);

        Assert.Equal(expected.Select(e => e.GetProperty("name").GetString()), ranking.Select(c => c.Name));
        for (int k = 0; k < expected.Length; k++)
        {
            var candidate = ranking[k];
            double r2 = expected[k].GetProperty("r2").GetDouble();
            output.WriteLine($"{candidate.Name,-5} r2 {candidate.RSquared:R} (pykan {r2:R}) loss {candidate.Loss:R} (pykan {expected[k].GetProperty("loss").GetDouble():R}) a,b = {candidate.A:R}, {candidate.B:R} (pykan {expected[k].GetProperty("a").GetDouble():R}, {expected[k].GetProperty("b").GetDouble():R})");
            Assert.Equal(r2, candidate.RSquared, 1e-9);
            Assert.Equal(expected[k].GetProperty("complexity").GetInt32(), candidate.Complexity);
            Assert.Equal(SymbolicFit.Loss(candidate.Complexity, candidate.RSquared), candidate.Loss);
            if (expected[k].GetProperty("n_cells_within_1e-12_of_best_first_iteration").GetInt32() <= 3)
            {
                // Few first-grid ties: reproducing torch's linspace and summation order lands on pykan's cell.
                Assert.Equal((expected[k].GetProperty("a").GetDouble(), expected[k].GetProperty("b").GetDouble()), (candidate.A, candidate.B));
            }

        }
    }

    [Fact]
    public void TopKReturnsTheBestPrefix()
    {
        var golden = GoldenFixture.Load("symbolic_fit.json").GetProperty("suggest_symbolic");
        double[] x = golden.GetProperty("x").Vector();
        double[] y = golden.GetProperty("y").Vector();

        var top = SymbolicFit.SuggestSymbolic(x, y, SymbolicLibrary.Create("x", "tanh", "sin"), topK: 2);

        Assert.Equal(["tanh", "sin"], top.Select(c => c.Name));
    }

    [Fact]
    public void ZeroFunctionHasZeroRSquaredAndPykansLoss()
    {
        double[] x = Enumerable.Range(0, 50).Select(s => -1 + s / 25.0).ToArray();
        double[] y = x.Select(v => Math.Sin(3 * v)).ToArray();

        var zero = SymbolicFit.SuggestSymbolic(x, y, SymbolicLibrary.Create("0"), topK: 1)[0];

        Assert.Equal(0.0, zero.RSquared);
        Assert.Equal(0.0, zero.Fit.C);
        Assert.Equal(y.Average(), zero.Fit.D, 1e-15);
        Assert.Equal(0.2 * Math.Log2(1 + 1e-5), zero.Loss, 1e-18); // kan-math §2.12: '0' scores ≈ 2.9e-6
    }
}
