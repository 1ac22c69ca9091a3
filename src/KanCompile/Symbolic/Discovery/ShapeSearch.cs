namespace KanCompile.Symbolic.Discovery;

/// <summary>
/// One spline model the search trains: its starting widths, seed, whether it is pruned after a regularised fit,
/// whether its last layer starts as the product template (x² edges), and the output transform it learns under.
/// </summary>
internal sealed record ShapePlan(int[] Widths, int Seed, bool Prune = false, bool Product = false, OutputTransform? Outer = null, int[]? Multiplication = null, KanModel? Given = null)
{
    /// <summary>The widths as pykan writes them, [n_sum,n_mult] for a layer with multiplication nodes.</summary>
    public string Shape => "[" + string.Join(",", Widths.Select((w, l) => Multiplication is null || Multiplication[l] == 0 ? $"{w}" : $"[{w},{Multiplication[l]}]")) + "]";

    public override string ToString() =>
        (Outer is null ? "" : $"{Outer}( ") + Shape + (Outer is null ? "" : " )") +
        (Given is null ? "" : " (the given model)") + (Prune ? " pruned" : "") + (Product ? " product" : "") + $" seed {Seed}";
}

/// <summary>
/// Shape search: the small networks tried, simplest first — [n,1,m]; a product of two sums [n,[0,1],m] (one
/// multiplication node, pykan's MultKAN); the difference-of-squares product template; [n,2,m]; a sum plus a
/// product [n,[1,1],m]; what pruning [n,5,m] leaves; [n,1,1] and the product template under each output transform;
/// then second seeds; then [n,2,1] and [n,[1,1],1] under each output transform — and how each spline model is trained
/// (fit on the first grid, refine through the others fitting after each; the wide model is fitted with
/// pykan's λ and pruned first). The same list for every problem.
/// </summary>
internal static class ShapeSearch
{
    public static IReadOnlyList<ShapePlan> Plans(int inputs, int outputs, FormulaSearchOptions options)
    {
        int seed = options.Seed;
        bool product = outputs == 1 && options.Library.Contains("x^2");

        // Multiplication nodes (pykan's MultKAN) hold products of two sums directly: [n,[0,k],m] is a product
        // (of k pairs), [n,[1,k],m] a sum plus products.
        var products = Enumerable.Range(1, options.MaxMultiplicationNodes).Select(k => new[] { 0, k, 0 }).ToArray();
        ShapePlan Product(int sums, int[] mult) => new([inputs, sums, outputs], seed, Multiplication: mult);

        var plans = new List<ShapePlan> { new([inputs, 1, outputs], seed) };
        plans.AddRange(products.Select(m => Product(0, m)));
        if (product)
        {
            plans.Add(new([inputs, 2, outputs], seed, Product: true));
        }

        plans.Add(new([inputs, 2, outputs], seed));
        plans.AddRange(products.Select(m => Product(1, m)));
        plans.Add(new([inputs, 5, outputs], seed, Prune: true));
        if (outputs == 1)
        {
            foreach (var transform in OutputTransform.For(options.Library))
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

        // Deeper compositions y = f(g₁(…) + g₂(…)) and y = f(s + u·v): two hidden nodes, or a sum and a product,
        // under each output transform: sums of two compositions such as 1/(exp(u) + exp(v)).
        if (outputs == 1)
        {
            foreach (var transform in OutputTransform.For(options.Library))
            {
                plans.Add(new([inputs, 2, 1], seed, Outer: transform));
                if (options.MaxMultiplicationNodes >= 1)
                {
                    plans.Add(new([inputs, 1, 1], seed, Multiplication: [0, 1, 0], Outer: transform));
                }
            }
        }

        return plans;
    }

    /// <summary>Trains the plan's spline model on <paramref name="data"/> (its test rows are the search's validation rows).</summary>
    public static KanNetwork Train(ShapePlan plan, KanDataset data, FormulaSearchOptions options, CancellationToken cancellationToken)
    {
        var fit = new FitOptions { Steps = options.SplineSteps, MaxDegreeOfParallelism = Math.Min(Environment.ProcessorCount, 16) };
        var model = new KanNetwork(plan.Widths, options.GridSizes[0], 3, plan.Seed, engine: options.Engine, multiplicationNodes: plan.Multiplication, multiplicationArity: options.MultiplicationArity);
        if (plan.Prune)
        {
            model.Fit(data, fit with { Lambda = options.PruneLambda }, cancellationToken: cancellationToken);
            model = PruneOrKeep(model);
        }

        model.PrepareGrids(options.GridSizes.Skip(1));

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
