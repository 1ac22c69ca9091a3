using KanCompile.Numerics;

namespace KanCompile.Pde;

/// <summary>
/// Where a PDE's residual and conditions are enforced: tensor meshes (as pykan's tutorial), uniform random points and
/// a low-discrepancy (Halton) sequence inside a <see cref="PdeDomain"/>, and meshes or random points on its faces with
/// their outward normals. Every random choice takes a seed; the same seed gives the same points on any machine.
/// </summary>
public static class Collocation
{
    /// <summary>
    /// The tensor mesh of <paramref name="pointsPerAxis"/> evenly spaced values per axis, bounds included (torch's
    /// <c>linspace</c> and <c>meshgrid(indexing="ij")</c>: the first axis varies slowest). pykan's PDE tutorial uses
    /// 51 × 51 on [−1, 1]², so its interior set contains the boundary too.
    /// </summary>
    public static PdePoints Mesh(PdeDomain domain, int pointsPerAxis)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (pointsPerAxis < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(pointsPerAxis), pointsPerAxis, "A mesh needs at least 2 points per axis.");
        }

        int d = domain.Dimensions;
        long count = (long)Math.Pow(pointsPerAxis, d);
        CheckSize(count, d);
        var coordinates = new double[count * d];
        var index = new int[d];
        for (long p = 0; p < count; p++)
        {
            for (int axis = 0; axis < d; axis++)
            {
                coordinates[p * d + axis] = Linspace(domain.Lower[axis], domain.Upper[axis], pointsPerAxis, index[axis]);
            }

            Increment(index, pointsPerAxis);
        }

        return new PdePoints(d, coordinates, null, null);
    }

    /// <summary><paramref name="count"/> points drawn uniformly in the domain from <paramref name="seed"/>.</summary>
    public static PdePoints Uniform(PdeDomain domain, int count, int seed)
    {
        ArgumentNullException.ThrowIfNull(domain);
        CheckCount(count);
        int d = domain.Dimensions;
        var random = new KanRandom(seed);
        var coordinates = new double[count * d];
        for (int p = 0; p < count; p++)
        {
            for (int axis = 0; axis < d; axis++)
            {
                coordinates[p * d + axis] = Scale(domain, axis, random.NextDouble());
            }
        }

        return new PdePoints(d, coordinates, null, s => Uniform(domain, count, s));
    }

    /// <summary>
    /// <paramref name="count"/> points of the Halton sequence (bases 2, 3, 5, 7, … per axis, from index 1), shifted
    /// modulo 1 by a random vector drawn from <paramref name="seed"/> (a Cranley–Patterson rotation, so each seed gives
    /// another low-discrepancy set): they fill the domain more evenly than uniform random points.
    /// </summary>
    public static PdePoints Halton(PdeDomain domain, int count, int seed)
    {
        ArgumentNullException.ThrowIfNull(domain);
        CheckCount(count);
        int d = domain.Dimensions;
        if (d > Primes.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(domain), d, $"The Halton sequence here covers at most {Primes.Length} dimensions.");
        }

        var random = new KanRandom(seed);
        var shift = new double[d];
        for (int axis = 0; axis < d; axis++)
        {
            shift[axis] = random.NextDouble();
        }

        var coordinates = new double[count * d];
        for (int p = 0; p < count; p++)
        {
            for (int axis = 0; axis < d; axis++)
            {
                double u = RadicalInverse(p + 1, Primes[axis]) + shift[axis];
                coordinates[p * d + axis] = Scale(domain, axis, u >= 1.0 ? u - 1.0 : u);
            }
        }

        return new PdePoints(d, coordinates, null, s => Halton(domain, count, s));
    }

    /// <summary>
    /// A mesh of <paramref name="pointsPerAxis"/> evenly spaced values per axis on each of <paramref name="faces"/> (all
    /// faces when null), with outward normals. Points on edges and corners appear once per face they lie on, as in pykan's
    /// tutorial (4 × 51 boundary points on the square).
    /// </summary>
    public static PdePoints BoundaryMesh(PdeDomain domain, int pointsPerAxis, IReadOnlyList<PdeFace>? faces = null)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (pointsPerAxis < 2 && domain.Dimensions > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(pointsPerAxis), pointsPerAxis, "A face mesh needs at least 2 points per axis.");
        }

        faces ??= domain.Faces;
        int d = domain.Dimensions;
        long perFace = (long)Math.Pow(pointsPerAxis, d - 1);
        CheckSize(perFace * faces.Count, d);
        var coordinates = new List<double>();
        var normals = new List<double>();
        foreach (PdeFace face in faces)
        {
            domain.CheckFace(face);
            var index = new int[d];
            for (long p = 0; p < perFace; p++)
            {
                for (int axis = 0, free = 0; axis < d; axis++)
                {
                    coordinates.Add(axis == face.Axis ? Bound(domain, face) : Linspace(domain.Lower[axis], domain.Upper[axis], pointsPerAxis, index[free++]));
                    normals.Add(axis == face.Axis ? (face.IsUpper ? 1.0 : -1.0) : 0.0);
                }

                Increment(index.AsSpan(0, d - 1), pointsPerAxis);
            }
        }

        return new PdePoints(d, coordinates.ToArray(), normals.ToArray(), null);
    }

    /// <summary><paramref name="countPerFace"/> points drawn uniformly on each of <paramref name="faces"/> (all when null) from <paramref name="seed"/>, with outward normals.</summary>
    public static PdePoints BoundaryUniform(PdeDomain domain, int countPerFace, int seed, IReadOnlyList<PdeFace>? faces = null)
    {
        ArgumentNullException.ThrowIfNull(domain);
        CheckCount(countPerFace);
        faces ??= domain.Faces;
        int d = domain.Dimensions;
        var random = new KanRandom(seed);
        var coordinates = new double[(long)faces.Count * countPerFace * d];
        var normals = new double[coordinates.Length];
        int p = 0;
        foreach (PdeFace face in faces)
        {
            domain.CheckFace(face);
            for (int q = 0; q < countPerFace; q++, p++)
            {
                for (int axis = 0; axis < d; axis++)
                {
                    coordinates[p * d + axis] = axis == face.Axis ? Bound(domain, face) : Scale(domain, axis, random.NextDouble());
                    normals[p * d + axis] = axis == face.Axis ? (face.IsUpper ? 1.0 : -1.0) : 0.0;
                }
            }
        }

        IReadOnlyList<PdeFace> chosen = faces;
        return new PdePoints(d, coordinates, normals, s => BoundaryUniform(domain, countPerFace, s, chosen));
    }

    /// <summary>Points the caller chose (row-major), with outward unit normals when they lie on a boundary that Neumann conditions read.</summary>
    public static PdePoints FromPoints(int dimensions, double[] coordinates, double[]? normals = null)
    {
        ArgumentNullException.ThrowIfNull(coordinates);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        SampleBatch.Count(coordinates, dimensions, nameof(coordinates), what: "coordinates");

        if (normals is not null && normals.Length != coordinates.Length)
        {
            throw new ArgumentException($"The normals hold {normals.Length} values; they need one per coordinate ({coordinates.Length}).", nameof(normals));
        }

        int bad = coordinates.AsSpan().IndexOfAnyExceptInRange(double.MinValue, double.MaxValue);
        if (bad >= 0)
        {
            throw new ArgumentException($"Point {bad / dimensions} has a non-finite coordinate ({coordinates[bad]}).", nameof(coordinates));
        }

        return new PdePoints(dimensions, (double[])coordinates.Clone(), (double[]?)normals?.Clone(), null);
    }

    private static readonly int[] Primes = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37];

    /// <summary>The radical inverse of <paramref name="index"/> in <paramref name="radix"/>: its digits mirrored about the point.</summary>
    private static double RadicalInverse(int index, int radix)
    {
        double result = 0.0, scale = 1.0 / radix;
        for (int i = index; i > 0; i /= radix, scale /= radix)
        {
            result += (i % radix) * scale;
        }

        return result;
    }

    /// <summary>Value <paramref name="index"/> of torch's <c>linspace(lower, upper, count)</c>.</summary>
    private static double Linspace(double lower, double upper, int count, int index) =>
        index == count - 1 ? upper : lower + (upper - lower) * index / (count - 1);

    private static double Scale(PdeDomain domain, int axis, double unit) => domain.Lower[axis] + (domain.Upper[axis] - domain.Lower[axis]) * unit;

    private static double Bound(PdeDomain domain, PdeFace face) => face.IsUpper ? domain.Upper[face.Axis] : domain.Lower[face.Axis];

    /// <summary>Advances a mixed-radix counter whose last digit varies fastest.</summary>
    private static void Increment(Span<int> index, int radix)
    {
        for (int axis = index.Length - 1; axis >= 0; axis--)
        {
            if (++index[axis] < radix)
            {
                return;
            }

            index[axis] = 0;
        }
    }

    private static void CheckCount(int count)
    {
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "A collocation set needs at least one point.");
        }
    }

    private static void CheckSize(long count, int dimensions)
    {
        if (count * dimensions > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"{count} points in {dimensions} dimensions do not fit one array; use fewer points per axis.");
        }
    }
}
