namespace KanCompile.Symbolic.Discovery;

/// <summary>
/// One spline model the search trains: its starting widths, seed, whether it is pruned after a regularised fit,
/// whether its last layer starts as the product template (x² edges), and the output transform it learns under.
/// </summary>
internal sealed record ShapePlan(int[] Widths, int Seed, bool Prune = false, bool Product = false, OutputTransform? Outer = null)
{
    public override string ToString() =>
        (Outer is null ? "" : $"{Outer}( ") + $"[{string.Join(",", Widths)}]" + (Outer is null ? "" : " )") +
        (Prune ? " pruned" : "") + (Product ? " product" : "") + $" seed {Seed}";
}

/// <summary>
/// Shape search: the small networks tried, simplest first — [n,1,m], [n,2,m], what pruning [n,5,m] leaves,
/// then the three-layer [n,1,1,m] and [n,2,1,m], then second seeds — and how each spline model is trained
/// (fit on the first grid, refine through the others fitting after each; the wide model is fitted with
/// pykan's λ and pruned first). The same list for every problem.
/// </summary>
internal static class ShapeSearch
{
    public static IReadOnlyList<ShapePlan> Plans(int inputs, int outputs, int seed, SymbolicLibrary library)
    {
        bool product = outputs == 1 && library.Contains("x^2");
        var plans = new List<ShapePlan> { new([inputs, 1, outputs], seed) };
        if (product)
        {
            plans.Add(new([inputs, 2, outputs], seed, Product: true));
        }

        plans.Add(new([inputs, 2, outputs], seed));
        plans.Add(new([inputs, 5, outputs], seed, Prune: true));
        if (outputs == 1)
        {
            foreach (var transform in OutputTransform.For(library))
            {
                plans.Add(new([inputs, 1, 1], seed, Outer: transform));
                if (product)
                {
                    plans.Add(new([inputs, 2, 1], seed, Product: true, Outer: transform));
                }
            }
        }

        plans.Add(new([inputs, 1, outputs], seed + 1));
        if (product)
        {
            plans.Add(new([inputs, 2, outputs], seed + 1, Product: true));
        }

        return plans;
    }

    /// <summary>Trains the plan's spline model on <paramref name="data"/> (its test rows are the search's validation rows).</summary>
    public static KanNetwork Train(ShapePlan plan, KanDataset data, FormulaSearchOptions options, CancellationToken cancellationToken)
    {
        var fit = new FitOptions { Steps = options.SplineSteps, MaxDegreeOfParallelism = Math.Min(Environment.ProcessorCount, 16) };
        var model = new KanNetwork(plan.Widths, options.GridSizes[0], 3, plan.Seed, engine: options.Engine);
        if (plan.Prune)
        {
            model.Fit(data, fit with { Lambda = options.PruneLambda }, cancellationToken: cancellationToken);
            model = PruneOrKeep(model);
        }

        model.Fit(data, fit, cancellationToken: cancellationToken);
        foreach (int grid in options.GridSizes.Skip(1))
        {
            model.Refine(grid);
            model.Fit(data, fit, cancellationToken: cancellationToken);
        }

        return model;
    }

    private static KanNetwork PruneOrKeep(KanNetwork model)
    {
        try
        {
            return model.Prune();
        }
        catch (InvalidOperationException)
        {
            // Every hidden node scored below the threshold: keep the model as it is.
            return model;
        }
    }
}
