namespace KanCompile;

public abstract partial class KanModel
{
    /// <summary>
    /// Re-grids every layer from the activations of <paramref name="inputs"/> (row-major samples), as pykan's
    /// <c>update_grid_from_samples</c> (kan-math §2.7).
    /// </summary>
    public void UpdateGrid(ReadOnlySpan<double> inputs)
    {
        throw new NotImplementedException("UpdateGrid lands with the grid-update work.");
    }
}
