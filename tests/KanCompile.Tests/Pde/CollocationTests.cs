using KanCompile.Pde;

namespace KanCompile.Tests.Pde;

/// <summary>Collocation sets: sizes, bounds, normals, determinism per seed, redraws.</summary>
public class CollocationTests
{
    private static readonly PdeDomain Domain = new([-1.0, 0.0], [1.0, 2.0]);

    [Fact]
    public void A_mesh_includes_the_bounds_first_axis_slowest()
    {
        PdePoints mesh = Collocation.Mesh(Domain, 3);
        Assert.Equal(9, mesh.Count);
        Assert.Equal([-1.0, 0.0], mesh[0].ToArray());
        Assert.Equal([-1.0, 1.0], mesh[1].ToArray());
        Assert.Equal([1.0, 2.0], mesh[8].ToArray());
        Assert.False(mesh.CanResample);
        Assert.True(mesh.Normals.IsEmpty);
    }

    [Fact]
    public void Random_and_Halton_sets_stay_inside_and_repeat_per_seed()
    {
        foreach (Func<int, PdePoints> draw in new Func<int, PdePoints>[] { s => Collocation.Uniform(Domain, 500, s), s => Collocation.Halton(Domain, 500, s) })
        {
            PdePoints a = draw(4), b = draw(4), c = draw(5);
            Assert.Equal(a.Coordinates.ToArray(), b.Coordinates.ToArray());
            Assert.NotEqual(a.Coordinates.ToArray(), c.Coordinates.ToArray());
            for (int p = 0; p < a.Count; p++)
            {
                Assert.InRange(a[p][0], -1.0, 1.0);
                Assert.InRange(a[p][1], 0.0, 2.0);
            }

            Assert.True(a.CanResample);
            Assert.Equal(c.Coordinates.ToArray(), a.Resampled(5).Coordinates.ToArray());
        }
    }

    [Fact]
    public void Halton_points_fill_the_domain_more_evenly_than_random_ones()
    {
        // Points in each of the 8 × 8 cells: a low-discrepancy set's counts stay close to the mean of 16.
        static int Spread(PdePoints points)
        {
            var cells = new int[64];
            for (int p = 0; p < points.Count; p++)
            {
                int i = Math.Min(7, (int)((points[p][0] + 1) / 2 * 8)), j = Math.Min(7, (int)(points[p][1] / 2 * 8));
                cells[i * 8 + j]++;
            }

            return cells.Max() - cells.Min();
        }

        Assert.True(Spread(Collocation.Halton(Domain, 1024, 1)) < Spread(Collocation.Uniform(Domain, 1024, 1)));
    }

    [Fact]
    public void Boundary_points_lie_on_their_faces_with_outward_normals()
    {
        foreach (PdePoints boundary in new[] { Collocation.BoundaryMesh(Domain, 5), Collocation.BoundaryUniform(Domain, 7, 3) })
        {
            Assert.Equal(boundary.Count * 2, boundary.Normals.Length);
            for (int p = 0; p < boundary.Count; p++)
            {
                ReadOnlySpan<double> x = boundary[p], normal = boundary.Normals.Slice(p * 2, 2);
                int axis = normal[0] != 0 ? 0 : 1;
                Assert.Equal(1.0, Math.Abs(normal[axis]));
                Assert.Equal(0.0, normal[1 - axis]);
                Assert.Equal(normal[axis] > 0 ? Domain.Upper[axis] : Domain.Lower[axis], x[axis]);
            }
        }

        PdePoints initial = Collocation.BoundaryMesh(Domain, 11, [PdeFace.LowerOf(1)]);
        Assert.Equal(11, initial.Count);
        Assert.All(Enumerable.Range(0, 11), p => Assert.Equal(0.0, initial[p][1]));
    }
}
