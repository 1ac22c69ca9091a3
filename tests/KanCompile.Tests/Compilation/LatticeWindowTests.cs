using KanCompile.Engine;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Compilation;

/// <summary>
/// The gradient pass computes the basis windows of knot rows on a lattice (equally spaced knots) four samples at a time
/// from the cardinal B-spline's pieces, other rows four samples at a time from the polynomial table (one interval
/// search for the four), and a group of four with a sample off the grid's interior (lattice) or off the extended grid
/// (table) one sample at a time. All must agree with the reference engine: on the initial (lattice) grid with every
/// sample interior, with interior samples exactly on knots, with groups that mix interior and padding-zone samples,
/// and after a grid update has moved the knots off the lattice.
/// </summary>
public class LatticeWindowTests
{
    public static IEnumerable<object[]> Architectures() => new[]
    {
        new object[] { "3x8x2 G5 k3", new KanArchitecture(new[] { 3, 8, 2 }, gridSize: 5, splineOrder: 3) },
        new object[] { "2x5x3 G7 k2", new KanArchitecture(new[] { 2, 5, 3 }, gridSize: 7, splineOrder: 2) },
        new object[] { "2x6x1 G6 k4 (two groups of window slots)", new KanArchitecture(new[] { 2, 6, 1 }, gridSize: 6, splineOrder: 4) },
        new object[] { "2x4x2 G5 k1 (no fast path: slopes jump at knots)", new KanArchitecture(new[] { 2, 4, 2 }, gridSize: 5, splineOrder: 1) },
    };

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Interior_samples_on_the_initial_grid_match_the_reference(string shape, KanArchitecture architecture)
    {
        double lo = architecture.GridMin, hi = architecture.GridMax;
        AgreeOnDrawnInputs(shape + ", interior", architecture, seed: 3, samples: 64, (random, _) => lo + (hi - lo) * random.NextDouble());
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Interior_samples_exactly_on_knots_match_the_reference(string shape, KanArchitecture architecture)
    {
        // t_k .. t_{G+k-1}: knots inside [grid min, grid max), where a floor may land on either side of the knot.
        AgreeOnDrawnInputs(shape + ", on knots", architecture, seed: 4, samples: 48, (random, knots) => knots[architecture.SplineOrder + random.Next(architecture.GridSize)]);
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Groups_mixing_interior_and_padding_zone_samples_match_the_reference(string shape, KanArchitecture architecture)
    {
        (KanNetwork compiled, KanNetwork reference) = Pair(architecture);
        double[] knots = compiled.GetKnots(0, 0).ToArray();
        double lo = architecture.GridMin, hi = architecture.GridMax, first = knots[0], last = knots[^1];
        var random = new Random(5);
        int width = architecture.Widths[0];
        var inputs = new double[40 * width];
        for (int s = 0; s < 40; s++)
        {
            for (int i = 0; i < width; i++)
            {
                // Every seventh sample in a padding zone or off the grid: whole groups of four stay interior, others mix.
                inputs[s * width + i] = (s % 7) switch
                {
                    3 => first + (lo - first) * random.NextDouble(),
                    6 => s % 2 == 0 ? hi + (last - hi) * random.NextDouble() : last + random.NextDouble(),
                    _ => lo + (hi - lo) * random.NextDouble(),
                };
            }
        }

        Agree(shape + ", mixed groups", compiled, reference, inputs, random);
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Knots_moved_off_the_lattice_by_a_grid_update_match_the_reference(string shape, KanArchitecture architecture)
    {
        (KanNetwork compiled, KanNetwork reference) = Pair(architecture);
        var random = new Random(6);
        int width = architecture.Widths[0];
        // Skewed samples: the quantile grid is far from uniform.
        double[] gridSamples = Enumerable.Range(0, 200 * width).Select(_ => Math.Pow(random.NextDouble(), 3) * 2 - 1).ToArray();
        compiled.UpdateGrid(gridSamples);
        reference.UpdateGrid(gridSamples);
        double[] knots = compiled.GetKnots(0, 0).ToArray();
        double[] steps = knots.Zip(knots.Skip(1), (a, b) => b - a).ToArray();
        Assert.True(steps.Max() > 1.5 * steps.Min(), $"{shape}: the updated grid should not be uniform");
        double[] inputs = Enumerable.Range(0, 64 * width).Select(_ => Math.Pow(random.NextDouble(), 3) * 2 - 1).ToArray();

        Agree(shape + ", updated grid", compiled, reference, inputs, random);
    }

    [Fact]
    public void The_same_kernel_alternates_between_lattice_and_updated_knots()
    {
        // The kernel caches its tables per thread and must notice the knots changing under it, both ways.
        var architecture = new KanArchitecture(new[] { 2, 5, 1 }, gridSize: 5, splineOrder: 3);
        (KanNetwork compiled, KanNetwork reference) = Pair(architecture);
        var updated = new KanNetwork(architecture, seed: 5);
        compiled.Parameters.CopyTo(updated.Parameters);
        var random = new Random(7);
        double[] gridSamples = Enumerable.Range(0, 400).Select(_ => Math.Pow(random.NextDouble(), 3) * 2 - 1).ToArray();
        updated.UpdateGrid(gridSamples);
        var updatedReference = new KanNetwork(architecture, seed: 5, KanEngine.Reference);
        compiled.Parameters.CopyTo(updatedReference.Parameters);
        updatedReference.UpdateGrid(gridSamples);
        double[] inputs = Enumerable.Range(0, 128).Select(_ => random.NextDouble() * 2 - 1).ToArray();

        Agree("lattice", compiled, reference, inputs, random);
        Agree("updated", updated, updatedReference, inputs, random);
        Agree("lattice again", compiled, reference, inputs, random);
    }

    private static (KanNetwork Compiled, KanNetwork Reference) Pair(KanArchitecture architecture)
    {
        var compiled = new KanNetwork(architecture, seed: 5);
        var reference = new KanNetwork(architecture, seed: 5, KanEngine.Reference);
        compiled.Parameters.CopyTo(reference.Parameters);
        return (compiled, reference);
    }

    /// <summary>Compiled vs reference on the initial grid, every input drawn by <paramref name="draw"/> (given the first input's knots).</summary>
    private static void AgreeOnDrawnInputs(string label, KanArchitecture architecture, int seed, int samples, Func<Random, double[], double> draw)
    {
        (KanNetwork compiled, KanNetwork reference) = Pair(architecture);
        double[] knots = compiled.GetKnots(0, 0).ToArray();
        var random = new Random(seed);
        double[] inputs = Enumerable.Range(0, samples * architecture.Widths[0]).Select(_ => draw(random, knots)).ToArray();

        Agree(label, compiled, reference, inputs, random);
    }

    private static void Agree(string label, KanNetwork compiled, KanNetwork reference, double[] inputs, Random random)
    {
        int count = inputs.Length / compiled.InputCount;
        double[] labels = Enumerable.Range(0, count * compiled.OutputCount).Select(_ => random.NextDouble()).ToArray();
        BatchAgreement.SquaredErrorGradientBatch(label, compiled, reference, inputs, labels, count, random);
    }
}
