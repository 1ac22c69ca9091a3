namespace KanCompile.Pde;

/// <summary>
/// An axis-aligned box [lower₀, upper₀] × … × [lower_{d−1}, upper_{d−1}], the domain of a PDE; time, when the problem
/// has it, is one more axis (for example x ∈ [−1, 1], t ∈ [0, 1]). Its faces carry the boundary and initial conditions.
/// </summary>
public sealed class PdeDomain
{
    private readonly double[] _lower;
    private readonly double[] _upper;

    /// <summary>Creates the box from its lower and upper corners.</summary>
    /// <exception cref="ArgumentException">The corners differ in length, a bound is not finite, or the box is empty (lower ≥ upper on some axis).</exception>
    public PdeDomain(double[] lower, double[] upper)
    {
        ArgumentNullException.ThrowIfNull(lower);
        ArgumentNullException.ThrowIfNull(upper);
        if (lower.Length == 0 || lower.Length != upper.Length)
        {
            throw new ArgumentException($"The domain's corners must have the same number of dimensions (at least 1); got {lower.Length} and {upper.Length}.", nameof(upper));
        }

        for (int d = 0; d < lower.Length; d++)
        {
            if (!double.IsFinite(lower[d]) || !double.IsFinite(upper[d]))
            {
                throw new ArgumentException($"The domain's bounds must be finite; axis {d} is [{lower[d]}, {upper[d]}].", nameof(lower));
            }

            if (!(lower[d] < upper[d]))
            {
                throw new ArgumentException($"The domain is empty: axis {d} runs from {lower[d]} to {upper[d]}; each lower bound must be below its upper bound.", nameof(lower));
            }
        }

        _lower = (double[])lower.Clone();
        _upper = (double[])upper.Clone();
    }

    /// <summary>The square or cube [<paramref name="lower"/>, <paramref name="upper"/>]^<paramref name="dimensions"/>.</summary>
    public static PdeDomain Cube(int dimensions, double lower, double upper)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        return new PdeDomain(Enumerable.Repeat(lower, dimensions).ToArray(), Enumerable.Repeat(upper, dimensions).ToArray());
    }

    /// <summary>Number of axes (the model's inputs).</summary>
    public int Dimensions => _lower.Length;

    /// <summary>Lower corner.</summary>
    public ReadOnlySpan<double> Lower => _lower;

    /// <summary>Upper corner.</summary>
    public ReadOnlySpan<double> Upper => _upper;

    /// <summary>The 2·<see cref="Dimensions"/> faces, lower then upper, axis by axis.</summary>
    public IReadOnlyList<PdeFace> Faces =>
        Enumerable.Range(0, Dimensions).SelectMany(d => new[] { PdeFace.LowerOf(d), PdeFace.UpperOf(d) }).ToArray();

    internal void CheckFace(PdeFace face)
    {
        if ((uint)face.Axis >= (uint)Dimensions)
        {
            throw new ArgumentOutOfRangeException(nameof(face), face, $"The domain has {Dimensions} axes (0..{Dimensions - 1}).");
        }
    }
}

/// <summary>One face of a <see cref="PdeDomain"/>: where axis <see cref="Axis"/> is at its lower or upper bound.</summary>
/// <param name="Axis">The axis the face is normal to.</param>
/// <param name="IsUpper">The upper bound's face (outward normal +e_axis) or the lower one's (−e_axis).</param>
public readonly record struct PdeFace(int Axis, bool IsUpper)
{
    /// <summary>The face at the lower bound of <paramref name="axis"/> (for example t = 0 for initial conditions).</summary>
    public static PdeFace LowerOf(int axis) => new(axis, false);

    /// <summary>The face at the upper bound of <paramref name="axis"/>.</summary>
    public static PdeFace UpperOf(int axis) => new(axis, true);

    /// <inheritdoc/>
    public override string ToString() => $"x{Axis} = {(IsUpper ? "upper" : "lower")}";
}
