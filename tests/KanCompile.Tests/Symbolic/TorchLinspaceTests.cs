using KanCompile.Splines;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Symbolic;

/// <summary>KnotVector.Linspace reproduces torch.linspace bit for bit (the fit grid and the knot grids depend on it).</summary>
public sealed class TorchLinspaceTests
{
    [Fact]
    public void EveryFitParamsZoomGridValueMatchesPykan()
    {
        int checkedValues = 0;
        foreach (var fit in GoldenFixture.Load("symbolic_fit.json").GetProperty("fit_params").EnumerateArray())
        {
            foreach (var step in fit.GetProperty("trace").EnumerateArray())
            {
                double[] aRange = step.GetProperty("a_range").Vector(), bRange = step.GetProperty("b_range").Vector();
                Assert.Equal(step.GetProperty("a").GetDouble(), KnotVector.Linspace(aRange[0], aRange[1], 101)[step.GetProperty("a_index").GetInt32()]);
                Assert.Equal(step.GetProperty("b").GetDouble(), KnotVector.Linspace(bRange[0], bRange[1], 101)[step.GetProperty("b_index").GetInt32()]);
                checkedValues += 2;
            }
        }

        Assert.Equal(24, checkedValues);
    }

    [Fact]
    public void EveryBasisGridMatchesPykanExactly()
    {
        foreach (var c in GoldenFixture.Load("basis.json").GetProperty("cases").EnumerateArray())
        {
            int g = c.GetProperty("G").GetInt32(), k = c.GetProperty("k").GetInt32();
            double[] range = c.GetProperty("grid_range").Vector();
            double[] grid = c.GetProperty("grid").Vector();

            Assert.Equal(grid.AsSpan(k, g + 1).ToArray(), KnotVector.Linspace(range[0], range[1], g + 1));
        }
    }
}
