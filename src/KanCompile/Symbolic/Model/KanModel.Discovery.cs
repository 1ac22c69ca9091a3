using KanCompile.Symbolic.Discovery;

namespace KanCompile;

public abstract partial class KanModel
{
    /// <summary>
    /// The formula search on this model (pykan has no equivalent): instead of pykan's one-shot snapping of every edge
    /// (<see cref="AutoSymbolic(Symbolic.SymbolicLibrary?, double, double)"/>, kept unchanged), a
    /// search guided by the network. This model's own trained splines are searched first — edges fixed one at a time
    /// from their top-k candidates, retrained and backtracked — then the shape search of
    /// <see cref="KanFormulaSearch.Discover(KanDataset, FormulaSearchOptions?, IProgress{FormulaSearchProgress}?, CancellationToken)"/>
    /// (small networks, multiplication nodes, output transforms); the simplest formula whose RMSE on held-back
    /// training rows is at machine precision wins. The model itself is not changed: the result carries the symbolic
    /// model (<see cref="FormulaSearchResult.SymbolicModel"/>) or, when no formula is exact, "no formula found"
    /// and the best spline model.
    /// </summary>
    /// <param name="dataset">The rows the model was fitted to (its inputs and outputs must match the model's).</param>
    /// <param name="options">Search settings (library: <see cref="FormulaSearchOptions.DefaultLibrary"/>); null for the default.</param>
    /// <param name="progress">Receives a report after every spline model searched.</param>
    /// <param name="cancellationToken">Stops the search; what was found so far is returned.</param>
    /// <returns>The formula found with its test RMSE, or "no formula found" with the best spline model.</returns>
    /// <exception cref="ArgumentException">The dataset's input or output count differs from the model's, or it has too few rows.</exception>
    /// <exception cref="InvalidOperationException">The model has symbolic edges (its splines are not all it computes).</exception>
    public FormulaSearchResult DiscoverFormula(KanDataset dataset, FormulaSearchOptions? options = null, IProgress<FormulaSearchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.InputCount != InputCount || dataset.OutputCount != OutputCount)
        {
            throw new ArgumentException(
                $"The dataset has {dataset.InputCount} inputs and {dataset.OutputCount} outputs but the model has {InputCount} and {OutputCount}; pass the rows the model was fitted to.",
                nameof(dataset));
        }

        if (HasSymbolicEdges)
        {
            throw new InvalidOperationException(
                "DiscoverFormula searches the model's splines, but some edges are already symbolic; call UnfixSymbolic on them first, or use the one-shot AutoSymbolic(library, ...).");
        }

        return KanFormulaSearch.DiscoverFrom(dataset, this, options, progress, cancellationToken);
    }
}
