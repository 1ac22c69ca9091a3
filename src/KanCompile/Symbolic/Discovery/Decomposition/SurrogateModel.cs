namespace KanCompile.Symbolic.Discovery;

/// <summary>
/// The spline model whose derivatives the structure search reads: [n, 2n + 1, 1] (Kolmogorov–Arnold's width),
/// fitted on the search's grids as every spline model of the search is, then polished by Levenberg–Marquardt on
/// its training rows and written back, so the model computes the polished splines.
/// </summary>
internal static class SurrogateModel
{
    /// <summary>Levenberg–Marquardt iterations of the polish.</summary>
    private const int Polish = 30;

    /// <summary>Trains on <paramref name="data"/>'s training rows (its test rows only report) and polishes on <paramref name="polishRows"/>.</summary>
    public static KanNetwork Train(KanDataset data, SearchRows polishRows, FormulaSearchOptions options, CancellationToken cancellationToken)
    {
        int n = data.InputCount;
        var model = ShapeSearch.Train(new ShapePlan([n, 2 * n + 1, 1], options.Seed), data, options, cancellationToken);
        var network = SearchNetwork.FromModel(model);
        SearchNetworkFitting.Train(network, polishRows, Polish, cancellationToken);
        network.WriteSplinesTo(model);
        return model;
    }

    /// <summary>Trains on rows alone (a part's own rows): a fifth of them report as test rows.</summary>
    public static KanNetwork Train(SearchRows rows, FormulaSearchOptions options, CancellationToken cancellationToken)
    {
        int n = rows.InputCount, test = Math.Max(1, rows.Count / 5), train = rows.Count - test;
        var data = new KanDataset(rows.Inputs[..(train * n)], rows.Labels[..train], rows.Inputs[(train * n)..], rows.Labels[train..], n, 1);
        return Train(data, rows.Take(Math.Min(train, options.TrainRows)), options, cancellationToken);
    }
}
