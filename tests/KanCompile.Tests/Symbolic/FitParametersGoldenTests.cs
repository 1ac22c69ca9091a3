using System.Text.Json;
using KanCompile.Symbolic;
using Xunit.Abstractions;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Symbolic;

/// <summary>SymbolicFit.FitParameters with pykan's grid (<see cref="SymbolicFitOptions.Pykan"/>) against pykan's fit_params (golden/symbolic_fit.json).</summary>
public sealed class FitParametersGoldenTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Cases() =>
        GoldenFixture.Load("symbolic_fit.json").GetProperty("fit_params").EnumerateArray()
            .Select(c => new object[] { c.GetProperty("name").GetString()! });

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPykanOrLandsOnAMirrorOptimum(string name)
    {
        JsonElement golden = GoldenFixture.Load("symbolic_fit.json").GetProperty("fit_params").EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == name);
        double[] x = golden.GetProperty("x").Vector();
        double[] y = golden.GetProperty("y").Vector();
        double[] expectedCurve = golden.GetProperty("fitted_curve").Vector();
        var function = SymbolicLibrary.Default[golden.GetProperty("fun").GetString()!];

        var fit = SymbolicFit.FitParameters(x, y, function, SymbolicFitOptions.Pykan);

        double[] curve = x.Select(v => fit.C * function.Evaluate(fit.A * v + fit.B) + fit.D).ToArray();
        double curveGap = curve.Zip(expectedCurve, (p, q) => Math.Abs(p - q)).Max();
        double a = golden.GetProperty("a").GetDouble(), b = golden.GetProperty("b").GetDouble();
        output.WriteLine($"{name}: ours (a, b, c, d) = ({fit.A:R}, {fit.B:R}, {fit.C:R}, {fit.D:R}), r2 = {fit.RSquared:R}");
        output.WriteLine($"{name}: pykan (a, b) = ({a:R}, {b:R}), r2 = {golden.GetProperty("r2").GetDouble():R}; max |curve gap| = {curveGap:E3}");

        Assert.Equal(golden.GetProperty("r2").GetDouble(), fit.RSquared, 1e-9);
        var lastZoom = golden.GetProperty("trace").EnumerateArray().Last();
        if (lastZoom.GetProperty("n_cells_within_1e-12_of_best").GetInt32() == 1)
        {
            // The final optimum is clear-cut, so torch's linspace and summation order (which we reproduce) must
            // lead to pykan's very cell; only noise-flat last zooms (every cell within 1e-12) may differ.
            Assert.Equal((a, b), (fit.A, fit.B));
        }

        if (Math.Abs(fit.A - a) <= 1e-12 && Math.Abs(fit.B - b) <= 1e-12)
        {
            Assert.Equal(golden.GetProperty("c").GetDouble(), fit.C, 1e-9);
            Assert.Equal(golden.GetProperty("d").GetDouble(), fit.D, 1e-9);
            Assert.True(curveGap <= 1e-9, $"Same (a, b) as pykan but the fitted curve differs by {curveGap:E3}.");
        }
        else
        {
            // A mirror optimum (e.g. (a, b, c) ↔ (−a, −b, −c) for odd f): same r², nearly the same curve.
            Assert.True(curveGap <= 1e-4, $"(a, b) differ from pykan's and the fitted curve is {curveGap:E3} away: not a mirror optimum.");
        }
    }

    [Fact]
    public void SequentialAndParallelSearchesAgreeExactly()
    {
        JsonElement golden = GoldenFixture.Load("symbolic_fit.json").GetProperty("fit_params")[0];
        double[] x = golden.GetProperty("x").Vector();
        double[] y = golden.GetProperty("y").Vector();
        var sin = SymbolicLibrary.Default["sin"];

        var parallel = SymbolicFit.FitParameters(x, y, sin, SymbolicFitOptions.Pykan);
        var sequential = SymbolicFit.FitParameters(x, y, sin, SymbolicFitOptions.Pykan with { MaxDegreeOfParallelism = 1 });

        Assert.Equal(parallel, sequential);
    }
}
