using KanCompile.Splines;
using KanCompile.Tests.Models;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Splines;

/// <summary>The B-spline basis against pykan's <c>B_batch</c> (golden/basis.json) and kan-math §2.2–2.3.</summary>
public class BasisGoldenTests
{
    public static IEnumerable<object[]> Cases() =>
        GoldenFixture.Load("basis.json").GetProperty("cases").EnumerateArray().Select((c, i) => new object[] { i });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reference_basis_matches_pykan(int index)
    {
        var fixture = GoldenFixture.Load("basis.json").GetProperty("cases")[index];
        int g = fixture.GetProperty("G").GetInt32(), k = fixture.GetProperty("k").GetInt32();
        double[] grid = GoldenFixture.Vector(fixture.GetProperty("grid"));
        double[] xs = GoldenFixture.Vector(fixture.GetProperty("x"));
        double[][] expected = GoldenFixture.Matrix(fixture.GetProperty("basis"));
        var basis = new double[g + k];
        for (int s = 0; s < xs.Length; s++)
        {
            BSplineBasis.Evaluate(xs[s], grid, k, basis);
            for (int m = 0; m < basis.Length; m++)
            {
                if (expected[s][m] == 0.0)
                {
                    Assert.True(basis[m] == 0.0, $"G={g} k={k} x={xs[s]:R}: B_{m} must be exactly 0, got {basis[m]:R}");
                }
                else
                {
                    Assert.True(Math.Abs(basis[m] - expected[s][m]) <= 1e-14, $"G={g} k={k} x={xs[s]:R}: B_{m} = {basis[m]:R}, pykan {expected[s][m]:R}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Basis_sums_match_pykan_inside_and_beyond_the_grid(int index)
    {
        // Partition of unity on [t_k, t_{G+k}], decaying through the padding zone, 0 beyond it: pykan's basis_row_sum.
        var fixture = GoldenFixture.Load("basis.json").GetProperty("cases")[index];
        int g = fixture.GetProperty("G").GetInt32(), k = fixture.GetProperty("k").GetInt32();
        Assert.Equal(g + k, fixture.GetProperty("n_basis").GetInt32());
        double[] grid = GoldenFixture.Vector(fixture.GetProperty("grid"));
        double[] xs = GoldenFixture.Vector(fixture.GetProperty("x"));
        double[] expected = GoldenFixture.Vector(fixture.GetProperty("basis_row_sum"));
        string[] zones = fixture.GetProperty("x_zone").EnumerateArray().Select(z => z.GetString()!).ToArray();
        var basis = new double[g + k];
        for (int s = 0; s < xs.Length; s++)
        {
            BSplineBasis.Evaluate(xs[s], grid, k, basis);
            double sum = basis.Sum();
            Assert.True(Math.Abs(sum - expected[s]) <= 1e-14, $"G={g} k={k} x={xs[s]:R} ({zones[s]}): ΣB = {sum:R}, pykan {expected[s]:R}");
            if (zones[s] == "outside")
            {
                Assert.Equal(0.0, sum);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Uniform_grid_matches_pykan_knots(int index)
    {
        var fixture = GoldenFixture.Load("basis.json").GetProperty("cases")[index];
        int g = fixture.GetProperty("G").GetInt32(), k = fixture.GetProperty("k").GetInt32();
        double[] expected = GoldenFixture.Vector(fixture.GetProperty("grid"));
        double[] grid = KnotVector.Uniform(g, k, -1, 1);
        Assert.Equal(expected.Length, grid.Length);
        for (int q = 0; q < grid.Length; q++)
        {
            Assert.True(Math.Abs(grid[q] - expected[q]) <= 1e-15, $"G={g} k={k}: knot {q} = {grid[q]:R}, pykan {expected[q]:R}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compiled_kernel_basis_matches_pykan(int index)
    {
        // A [1,1] model with scale_base 0, scale_sp 1 and coefficient vector e_m outputs exactly B_m(x).
        var fixture = GoldenFixture.Load("basis.json").GetProperty("cases")[index];
        int g = fixture.GetProperty("G").GetInt32(), k = fixture.GetProperty("k").GetInt32();
        double[] grid = GoldenFixture.Vector(fixture.GetProperty("grid"));
        double[] xs = GoldenFixture.Vector(fixture.GetProperty("x"));
        double[][] expected = GoldenFixture.Matrix(fixture.GetProperty("basis"));
        IKanModel model = BasisProbe.Create(g, k);
        var kanModel = (KanModel)model;
        var y = new double[1];
        for (int m = 0; m < g + k; m++)
        {
            var parameters = new double[g + k + 2];
            parameters[m] = 1.0;
            parameters[g + k + 1] = 1.0;
            kanModel.ReplaceGrid(g, (double[])grid.Clone(), parameters);
            for (int s = 0; s < xs.Length; s++)
            {
                model.Forward(new[] { xs[s] }, y);
                if (expected[s][m] == 0.0)
                {
                    Assert.True(y[0] == 0.0, $"G={g} k={k} x={xs[s]:R}: kernel B_{m} must be exactly 0, got {y[0]:R}");
                }
                else
                {
                    Assert.True(Math.Abs(y[0] - expected[s][m]) <= 1e-14, $"G={g} k={k} x={xs[s]:R}: kernel B_{m} = {y[0]:R}, pykan {expected[s][m]:R}");
                }
            }
        }
    }

    [Fact]
    public void Reference_values_from_kan_math_are_reproduced()
    {
        double[] grid = KnotVector.Uniform(5, 3, -1, 1);
        Assert.Equal(new[] { -2.2, -1.8, -1.4, -1.0, -0.6, -0.2, 0.2, 0.6, 1.0, 1.4, 1.8, 2.2 }, grid, new ToleranceComparer(1e-15));
        AssertBasis(grid, 3, -1.0, 1.0 / 6, 2.0 / 3, 1.0 / 6, 0, 0, 0, 0, 0);
        AssertBasis(grid, 3, 0.0, 0, 0, 0.020833, 0.479167, 0.479167, 0.020833, 0, 0);
        AssertBasis(grid, 3, -0.5, 0, 0.070313, 0.611979, 0.315104, 0.002604, 0, 0, 0);
        AssertBasis(grid, 3, 1.0, 0, 0, 0, 0, 0, 1.0 / 6, 2.0 / 3, 1.0 / 6);
        AssertBasis(KnotVector.Uniform(3, 3, -1, 1), 3, 0.999, 0, 0, 0, 0.167418, 0.666664, 0.165918);

        // Padding zone: non-zero but no partition of unity; at and beyond the last knot: exactly zero.
        var basis = new double[8];
        BSplineBasis.Evaluate(1.5, grid, 3, basis);
        Assert.Equal(0.682, basis.Sum(), 3);
        BSplineBasis.Evaluate(2.1, grid, 3, basis);
        Assert.Equal(0.0026, basis.Sum(), 4);
        BSplineBasis.Evaluate(2.2, grid, 3, basis);
        Assert.All(basis, b => Assert.Equal(0.0, b));
        BSplineBasis.Evaluate(-2.3, grid, 3, basis);
        Assert.All(basis, b => Assert.Equal(0.0, b));
    }

    private static void AssertBasis(double[] grid, int k, double x, params double[] expected)
    {
        var basis = new double[expected.Length];
        BSplineBasis.Evaluate(x, grid, k, basis);
        for (int m = 0; m < expected.Length; m++)
        {
            Assert.True(Math.Abs(basis[m] - expected[m]) <= 5e-7, $"x={x}: B_{m} = {basis[m]}, kan-math lists {expected[m]}");
        }
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
