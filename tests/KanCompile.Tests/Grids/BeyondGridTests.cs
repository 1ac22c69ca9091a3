using System.Text.Json.Nodes;
using KanCompile.Splines;
using KanCompile.Tests.Models;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Grids;

/// <summary>
/// <see cref="KanBeyondGrid.Smooth"/>: the basis continues C¹ and linearly beyond [t_k, t_{G+k}] and is pykan's inside;
/// Refine reproduces a smooth model beyond its grid (pykan's cannot); UpdateGrid's margin widens the grid; the choice is
/// saved (old files load as pykan's); batch prediction beyond the grid allocates nothing.
/// Generated, batch, on-demand, mixed and input-derivative kernels are checked against the reference on the smooth
/// shapes of <see cref="ModelCase"/> (every zone of <see cref="Sampling.Inputs"/>).
/// </summary>
public class BeyondGridTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void The_continued_basis_is_the_boundary_tangent_and_pykans_inside(int order)
    {
        double[] knots = Knots(gridSize: 6, order, -1.0, 2.0);
        int count = knots.Length - 1 - order;
        double low = knots[order], high = knots[^(order + 1)];
        var values = new double[count];
        var slopes = new double[count];
        var curvature = new double[count];
        var third = new double[count];
        var pykan = new double[count];
        foreach (double x in new[] { -1.0, -0.3, 0.0, 0.5, 1.2, 1.999 })
        {
            BSplineBasis.Evaluate(x, knots, order, KanBeyondGrid.Smooth, values);
            BSplineBasis.Evaluate(x, knots, order, KanBeyondGrid.Pykan, pykan);
            Assert.Equal(pykan, values);
        }

        foreach (double end in new[] { low, high })
        {
            // The value and slope at the end are the limits from inside (pykan's basis there): C¹.
            var boundary = new double[count];
            var boundarySlope = new double[count];
            BSplineBasis.Evaluate(end, knots, order, KanBeyondGrid.Smooth, boundary, boundarySlope);
            var limit = new double[count];
            var limitSlope = new double[count];
            BSplineBasis.Evaluate(end == low ? low : Math.BitDecrement(high), knots, order, KanBeyondGrid.Pykan, limit, limitSlope);
            for (int m = 0; m < count; m++)
            {
                Assert.Equal(limit[m], boundary[m], 1e-12);
                Assert.True(Math.Abs(limitSlope[m] - boundarySlope[m]) <= 1e-9 * Math.Max(1.0, Math.Abs(limitSlope[m])), $"B_{m}' at {end}");
            }

            foreach (double distance in new[] { 1e-9, 0.1, 3.0, 40.0 })
            {
                double x = end == low ? low - distance : high + distance;
                BSplineBasis.Evaluate(x, knots, order, KanBeyondGrid.Smooth, values, slopes, curvature, third);
                for (int m = 0; m < count; m++)
                {
                    double tangent = boundary[m] + (x - end) * boundarySlope[m];
                    Assert.True(Math.Abs(values[m] - tangent) <= 1e-12 * Math.Max(1.0, Math.Abs(tangent)), $"B_{m}({x}) = {values[m]}, tangent {tangent}");
                    Assert.True(Math.Abs(slopes[m] - boundarySlope[m]) <= 1e-12 * Math.Max(1.0, Math.Abs(boundarySlope[m])), $"B_{m}'({x})");
                    Assert.Equal(0.0, curvature[m]);
                    Assert.Equal(0.0, third[m]);
                }

                Assert.Equal(1.0, values.Sum(), 1e-12);
            }
        }
    }

    [Fact]
    public void Pykans_basis_decays_to_zero_beyond_the_padding_zone_and_the_continuation_does_not()
    {
        double[] knots = Knots(gridSize: 5, order: 3, -1.0, 1.0);
        var basis = new double[8];
        BSplineBasis.Evaluate(5.0, knots, 3, KanBeyondGrid.Pykan, basis);
        Assert.All(basis, value => Assert.Equal(0.0, value));
        BSplineBasis.Evaluate(5.0, knots, 3, KanBeyondGrid.Smooth, basis);
        Assert.Equal(1.0, basis.Sum(), 1e-12);
    }

    [Theory]
    [InlineData(KanBeyondGrid.Smooth, 1e-10)]
    [InlineData(KanBeyondGrid.Pykan, double.NaN)]
    public void Refine_keeps_a_smooth_model_beyond_its_grid(KanBeyondGrid beyondGrid, double tolerance)
    {
        // Doubling a uniform grid nests the spline spaces: inside, the new spline is the old one, so its boundary value
        // and slope, and with them the continuation, are the old ones too. pykan's padding zone narrows instead.
        var model = new KanNetwork([1, 2, 1], gridSize: 5, seed: 3, engine: KanEngine.Reference, beyondGrid: beyondGrid);
        Sampling.Randomize(model.Parameters, 4);
        double[] samples = Enumerable.Range(0, 301).Select(s => -1.5 + 3.0 * s / 300).ToArray();
        double[] probes = [-3.0, -1.4, -1.05, 0.3, 1.07, 1.6, 4.0];
        double[] before = Predict(model, probes);
        model.Refine(10, samples);
        double[] after = Predict(model, probes);
        double worst = before.Zip(after, (b, a) => Math.Abs(a - b)).Max();
        if (double.IsNaN(tolerance))
        {
            Assert.True(worst > 1e-3, $"pykan's refined model moved by {worst} beyond the grid");
        }
        else
        {
            Assert.True(worst <= tolerance, $"the refined smooth model moved by {worst}: {string.Join(", ", before)} -> {string.Join(", ", after)}");
        }
    }

    [Fact]
    public void UpdateGrid_with_a_margin_widens_the_grid_and_refits_through_the_continuation()
    {
        var model = new KanNetwork([1, 1], gridSize: 4, seed: 2, engine: KanEngine.Reference, beyondGrid: KanBeyondGrid.Smooth);
        Sampling.Randomize(model.Parameters, 5);
        double[] samples = Enumerable.Range(0, 200).Select(s => -0.5 + 1.7 * s / 199).ToArray();
        model.UpdateGrid(samples, gridEps: 0.02, margin: 0.1);
        ReadOnlySpan<double> knots = model.GetKnots(0, 0);
        Assert.Equal(-0.6, knots[3], 12);
        Assert.Equal(1.3, knots[^4], 12);

        // The old grid was [-1, 1]: samples up to 1.2 lie beyond it and were read through the old continuation, a
        // smooth function the new cubic spline fits closely on [-0.5, 1.2].
        Assert.Throws<ArgumentOutOfRangeException>(() => model.UpdateGrid(samples, margin: -0.1));
        Assert.ThrowsAny<ArgumentException>(() => new FitOptions { GridMargin = double.NaN }.Validate());
    }

    [Fact]
    public void The_choice_is_saved_and_old_files_load_with_pykans_behaviour()
    {
        string directory = Directory.CreateTempSubdirectory("kan-beyond").FullName;
        try
        {
            var smooth = new KanNetwork([2, 3, 1], gridSize: 4, seed: 7, beyondGrid: KanBeyondGrid.Smooth);
            Sampling.Randomize(smooth.Parameters, 8);
            string path = Path.Combine(directory, "smooth.kan.json");
            smooth.Save(path);
            JsonNode json = JsonNode.Parse(File.ReadAllText(path))!;
            Assert.Equal("smooth", (string?)json["beyond_grid"]);
            Assert.Equal(KanModelFile.CurrentVersion, (int?)json["version"]);
            KanNetwork loaded = KanModel.Load(path);
            Assert.Equal(KanBeyondGrid.Smooth, loaded.BeyondGrid);
            double[] far = [3.0, -2.5];
            Assert.Equal(Predict(smooth, far), Predict(loaded, far));

            var pykan = new KanNetwork([2, 3, 1], gridSize: 4, seed: 7);
            string old = Path.Combine(directory, "old.kan.json");
            pykan.Save(old);
            Assert.Null(JsonNode.Parse(File.ReadAllText(old))!["beyond_grid"]);
            Assert.Equal(KanBeyondGrid.Pykan, KanModel.Load(old).BeyondGrid);

            json["beyond_grid"] = "linear";
            string bad = Path.Combine(directory, "bad.kan.json");
            File.WriteAllText(bad, json.ToJsonString());
            var error = Assert.Throws<KanModelFileException>(() => KanModel.Load(bad));
            Assert.Contains("beyond_grid", error.Message);

            var mismatch = Assert.Throws<KanModelFileException>(() => new Golden231().LoadParameters(path));
            Assert.Contains("BeyondGrid = KanBeyondGrid.Smooth", mismatch.Message);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Batch_prediction_beyond_the_grid_matches_the_reference_and_allocates_nothing()
    {
        var model = new Wide4x16x16x1(6);
        Assert.Equal(KanBeyondGrid.Smooth, model.BeyondGrid);
        KanNetwork reference = ModelCase.Pair(model, parameterSeed: 9).Reference;
        var random = new Random(10);
        double[] inputs = Enumerable.Range(0, 64 * 4).Select(_ => (random.NextDouble() * 2 - 1) * 6).ToArray();
        var outputs = new double[64];
        var expected = new double[64];
        model.Predict(inputs, outputs);
        reference.Predict(inputs, expected);
        for (int s = 0; s < outputs.Length; s++)
        {
            Assert.True(Sampling.RelativeError(outputs[s], expected[s]) <= 1e-12, $"sample {s}: {outputs[s]:R} vs {expected[s]:R}");
        }

        Assert.Equal(0, AllocationProbe.SteadyStateBytes(() => model.Predict(inputs, outputs), callsPerRound: 20));
    }

    private static double[] Predict(KanModel model, double[] inputs)
    {
        var outputs = new double[inputs.Length / model.InputCount * model.OutputCount];
        model.Predict(inputs, outputs);
        return outputs;
    }

    /// <summary>A uniform grid of <paramref name="gridSize"/> intervals on [low, high], extended by <paramref name="order"/> on each side.</summary>
    private static double[] Knots(int gridSize, int order, double low, double high)
    {
        double h = (high - low) / gridSize;
        return Enumerable.Range(-order, gridSize + 2 * order + 1).Select(i => low + i * h).ToArray();
    }
}
