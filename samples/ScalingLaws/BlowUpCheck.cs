namespace ScalingLaws;

/// <summary>
/// Whether a staircase's test RMSE (all test points) stays near its best: from the grid with the lowest value up to the
/// last grid, it never exceeds <see cref="Tolerance"/> times that value.
/// </summary>
/// <param name="Lowest">The grid with the lowest test RMSE.</param>
/// <param name="Highest">The grid with the highest test RMSE from <paramref name="Lowest"/> on.</param>
/// <param name="ReachedLastGrid">Whether the staircase got to the last grid of the schedule.</param>
public sealed record BlowUpCheck(GridResult Lowest, GridResult Highest, bool ReachedLastGrid)
{
    /// <summary>How far above its lowest value the test RMSE may rise.</summary>
    public const double Tolerance = 10.0;

    /// <summary>Highest over lowest.</summary>
    public double Ratio => Highest.TestRmse / Lowest.TestRmse;

    /// <summary>True when the curve stays within <see cref="Tolerance"/>× its lowest value up to the last grid.</summary>
    public bool Holds => ReachedLastGrid && Ratio <= Tolerance;

    /// <summary>The check over one model's staircase (one data seed, one behaviour), in grid order.</summary>
    public static BlowUpCheck Of(IReadOnlyList<GridResult> staircase)
    {
        var ordered = staircase.OrderBy(r => r.GridSize).ToList();
        GridResult lowest = ordered.MinBy(r => r.TestRmse)!;
        GridResult highest = ordered.Where(r => r.GridSize >= lowest.GridSize).MaxBy(r => double.IsNaN(r.TestRmse) ? double.PositiveInfinity : r.TestRmse)!;
        return new BlowUpCheck(lowest, highest, ordered[^1].GridSize == GridSweep.Grids[^1]);
    }
}
