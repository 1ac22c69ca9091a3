namespace KanCompile;

/// <summary>
/// What every spline does for inputs beyond its grid's real range [t_k, t_{G+k}] (docs/grids.md). Inside that range
/// both behaviours compute the same bits.
/// </summary>
public enum KanBeyondGrid
{
    /// <summary>
    /// pykan's: k padding intervals on each side where the B-spline basis no longer sums to 1 and the spline decays,
    /// then exactly 0 (only b(x) is left of the edge). The default (docs/grids.md says why); models saved before this
    /// choice existed load with it; the pykan parity tests use it.
    /// </summary>
    Pykan = 0,

    /// <summary>
    /// Each spline continues as the straight line through its value and slope at the nearer end of [t_k, t_{G+k}]
    /// (C¹: value and first derivative continuous, second derivative 0 beyond the range).
    /// Choose it when a model will be evaluated beyond the range it was trained on.
    /// </summary>
    Smooth = 1,
}
