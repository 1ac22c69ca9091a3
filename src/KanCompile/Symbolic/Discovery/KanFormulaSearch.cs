using System.Diagnostics;
using KanCompile.Numerics;
using KanCompile.Symbolic.Expressions;

namespace KanCompile.Symbolic.Discovery;

/// <summary>
/// Formula discovery as a search guided by the network (issue #8), where pykan's one-shot
/// <c>auto_symbolic</c> snaps every edge once: train a few small spline networks (<see cref="ShapeSearch"/>),
/// on each fix edges one at a time by confidence with top-k candidates, retraining and backtracking
/// (<see cref="EdgeFixingSearch"/>), and choose among complete formulas by their own RMSE on held-back rows
/// (<see cref="FormulaSelection"/>). Nothing in it depends on the problem: one fixed configuration.
/// </summary>
public static class KanFormulaSearch
{
    /// <summary>Levenberg–Marquardt iterations that polish a freshly trained spline network.</summary>
    private const int PolishIterations = 20;

    /// <summary>Iterations that retrain the inner splines under the product template (they start far off).</summary>
    private const int ProductIterations = 60;

    /// <summary>The retrainings each shape gets on the first pass: a quarter of its budget.</summary>
    private static int FirstPassBudget(FormulaSearchOptions options) => Math.Max(1, options.MaxRetrainsPerModel / 4);

    /// <summary>
    /// Searches for a closed-form formula of <paramref name="dataset"/>'s labels. The training rows are split
    /// (seeded) into rows the networks train on and held-back rows that choose the formula; the test rows only
    /// measure the result. Same options and seed → same result.
    /// </summary>
    /// <param name="dataset">Train and test rows.</param>
    /// <param name="options">Search settings; <c>new FormulaSearchOptions()</c> for the default.</param>
    /// <param name="progress">Receives a report after every spline model and search.</param>
    /// <param name="cancellationToken">Stops the search; what was found so far is returned.</param>
    /// <returns>The chosen formula and its test RMSE, or "no formula found" with the best spline model.</returns>
    /// <exception cref="ArgumentException">Invalid options or too few training rows.</exception>
    public static FormulaSearchResult Discover(KanDataset dataset, FormulaSearchOptions? options = null, IProgress<FormulaSearchProgress>? progress = null, CancellationToken cancellationToken = default) =>
        DiscoverFrom(dataset, trained: null, options, progress, cancellationToken);

    /// <summary>
    /// <see cref="Discover(KanDataset, FormulaSearchOptions?, IProgress{FormulaSearchProgress}?, CancellationToken)"/>
    /// that first searches <paramref name="trained"/>'s own splines (a copy; the model is not changed), before the
    /// shape search; it counts as one of <see cref="FormulaSearchOptions.MaxModels"/>.
    /// </summary>
    internal static FormulaSearchResult DiscoverFrom(KanDataset dataset, KanModel? trained, FormulaSearchOptions? options, IProgress<FormulaSearchProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= new FormulaSearchOptions();
        options.Validate();
        if (dataset.TrainCount < 20)
        {
            throw new ArgumentException($"The formula search needs at least 20 training rows to hold some back; the dataset has {dataset.TrainCount}.", nameof(dataset));
        }

        var clock = Stopwatch.StartNew();
        var (fitData, trainRows, validationRows) = Split(dataset, options);
        var names = dataset.InputNames?.ToArray() ?? Enumerable.Range(1, dataset.InputCount).Select(k => "x" + k).ToArray();
        var search = new EdgeFixingSearch(options, validationRows, cancellationToken);
        KanNetwork? bestSpline = null;
        double bestSplineValidation = double.PositiveInfinity;

        // First the law's structure, read off one trained spline model's derivatives.
        var structure = new StructureDiscovery(options, cancellationToken);
        bool structureExact = false;
        if (options.StructureSearch && dataset.OutputCount == 1 && !cancellationToken.IsCancellationRequested)
        {
            structureExact = structure.Run(fitData, trainRows, validationRows, names, stage =>
                progress?.Report(new FormulaSearchProgress(stage, structure.Surrogate?.Widths.ToArray() ?? [], search.Retrains, structure.Complete.Count,
                    structure.Complete.Count == 0 ? double.PositiveInfinity : structure.Complete.Min(c => c.Report.ValidationRmse), clock.Elapsed)));
            if (structure.Surrogate is { } surrogate)
            {
                (bestSpline, bestSplineValidation) = (surrogate, ModelRmse(surrogate, validationRows));
            }
        }

        var square = options.Library.Contains("x^2") ? options.Library.Get("x^2") : null;
        var plans = ShapeSearch.Plans(dataset.InputCount, dataset.OutputCount, options).AsEnumerable();
        if (trained is not null)
        {
            var given = new ShapePlan(trained.Widths.ToArray(), trained.Seed, Multiplication: trained.MultiplicationNodes.Any(m => m > 0) ? trained.MultiplicationNodes.ToArray() : null, Given: trained);
            plans = plans.Prepend(given);
        }

        // Behind a structure search the shape search is a bounded second look (its simplest shapes only).
        int models = options.MaxModels;
        if (structureExact)
        {
            plans = [];
        }
        else if (structure.Surrogate is not null)
        {
            models = Math.Min(models, options.FallbackModels);
        }

        // Every shape first with a small share of its budget (cheap first), then the ones whose splines fit best
        // deepened with their whole budget (iterative deepening): the first shape cannot spend the search.
        var deferred = new List<(ShapePlan Plan, SearchNetwork Network, double SplineRmse, SearchRows Rows, int[] Widths)>();
        bool exact = structureExact;
        foreach (var plan in plans.Take(models))
        {
            // Cancelled, or the work budget is spent: conclude with what was found.
            if (exact || cancellationToken.IsCancellationRequested || search.Retrains >= options.MaxRetrains)
            {
                break;
            }

            // Under an output transform the network learns z = f⁻¹(y) (skipped when a label is outside f⁻¹'s domain).
            KanDataset planData = fitData;
            SearchRows planRows = trainRows;
            if (plan.Outer is { } outer)
            {
                var transformedFit = outer.Apply(new SearchRows(fitData.TrainInputs, fitData.TrainLabels, fitData.InputCount, fitData.OutputCount));
                var transformedHeld = outer.Apply(validationRows);
                var transformedTrain = outer.Apply(trainRows);
                if (transformedFit is null || transformedHeld is null || transformedTrain is null)
                {
                    continue;
                }

                planData = new KanDataset(fitData.TrainInputs, transformedFit.Labels, fitData.TestInputs, transformedHeld.Labels, fitData.InputCount, fitData.OutputCount);
                planRows = transformedTrain;
            }

            KanNetwork spline = plan.Given is { } model ? Copy(model) : ShapeSearch.Train(plan, planData, options, cancellationToken);
            var network = SearchNetwork.FromModel(spline);
            if (plan.Product && square is not null && network.Widths.Length == 3)
            {
                network.UseQuadraticOutputs(square);
            }

            double splineRmse = SearchNetworkFitting.Train(network, planRows, plan.Product ? ProductIterations : PolishIterations, cancellationToken);
            if (plan.Outer is null && !plan.Product)
            {
                double validation = SearchNetworkFitting.Rmse(network, validationRows);
                if (bestSpline is null || validation < bestSplineValidation)
                {
                    (bestSpline, bestSplineValidation) = (spline, validation);
                }
            }

            // A shape whose splines cannot fit the data cannot hold its formula either: not worth searching.
            bool representable = splineRmse <= options.MaxSplineError * planRows.LabelScale();
            if (representable)
            {
                exact = search.Run(network, splineRmse, plan, planRows, plan.Outer, trainRows, FirstPassBudget(options));
                if (!exact)
                {
                    deferred.Add((plan, network, splineRmse, planRows, spline.Widths.ToArray()));
                }
            }

            progress?.Report(new FormulaSearchProgress($"searched {plan} (spline RMSE {splineRmse:E2}{(representable ? "" : ", too coarse to search")})", spline.Widths.ToArray(), search.Retrains, search.Complete.Count,
                search.Complete.Count == 0 ? double.PositiveInfinity : search.Complete.Min(c => c.Report.ValidationRmse), clock.Elapsed));
        }

        foreach (var (plan, network, splineRmse, planRows, widths) in deferred.OrderBy(d => d.SplineRmse / Math.Max(d.Rows.LabelScale(), 1e-300)))
        {
            if (exact || cancellationToken.IsCancellationRequested || search.Retrains >= options.MaxRetrains)
            {
                break;
            }

            exact = search.Run(network, splineRmse, plan, planRows, plan.Outer, trainRows, options.MaxRetrainsPerModel);
            progress?.Report(new FormulaSearchProgress($"deepened {plan}", widths, search.Retrains, search.Complete.Count,
                search.Complete.Count == 0 ? double.PositiveInfinity : search.Complete.Min(c => c.Report.ValidationRmse), clock.Elapsed));
        }

        bestSpline ??= new KanNetwork([dataset.InputCount, 1, dataset.OutputCount], options.GridSizes[0], 3, options.Seed, engine: options.Engine);
        return Conclude(dataset, options, search, structure, bestSpline, bestSplineValidation, trainRows, validationRows, clock);
    }

    private static FormulaSearchResult Conclude(KanDataset dataset, FormulaSearchOptions options, EdgeFixingSearch search, StructureDiscovery structure, KanNetwork bestSpline, double splineValidation, SearchRows trainRows, SearchRows validationRows, Stopwatch clock)
    {
        var testRows = new SearchRows(dataset.TestInputs, dataset.TestLabels, dataset.InputCount, dataset.OutputCount);
        double splineTest = ModelRmse(bestSpline, testRows);
        var complete = structure.Complete.Concat(search.Complete).ToArray();
        var candidates = complete.Select(c => c.Report).ToArray();
        var chosen = FormulaSelection.Choose(complete);
        var names = dataset.InputNames?.ToArray() ?? Enumerable.Range(1, dataset.InputCount).Select(k => "x" + k).ToArray();

        if (chosen is null)
        {
            string best = candidates.Length == 0
                ? "no complete formula was reached"
                : $"none of {candidates.Length} complete formulas is exact (the closest has validation RMSE {candidates.Min(c => c.ValidationRmse):E2}; the splines' is {splineValidation:E2})";
            string budget = search.Retrains >= options.MaxRetrains ? $" within the work budget (MaxRetrains = {options.MaxRetrains} retrainings, spent)" : "";
            return new FormulaSearchResult(null, null, null, null, null, bestSpline, splineTest, candidates, search.Retrains, clock.Elapsed,
                $"no formula found{budget}: {best}; the best spline model (test RMSE {splineTest:E2}) is returned instead.")
            {
                StructuresTried = structure.Tried,
            };
        }

        double tolerance = 1e-12 * Math.Max(validationRows.LabelScale(), 1e-300);
        IReadOnlyList<SymbolicExpression> tidy = FormulaSimplification.Tidy(chosen.Outputs, trainRows, validationRows, tolerance);
        IReadOnlyList<SymbolicExpression> printed = tidy.Select((expression, o) =>
            FormulaReadings.Best(expression, o, validationRows, FormulaRefit.Rmse(chosen.Outputs[o], o, validationRows) + tolerance)).ToArray();
        double testRmse = FormulaSelection.Rmse(printed, testRows);
        if (!double.IsFinite(testRmse))
        {
            return new FormulaSearchResult(null, null, null, null, null, bestSpline, splineTest, candidates, search.Retrains, clock.Elapsed,
                $"no formula found: the chosen formula {chosen.Report.Formula} is not finite on some test rows; the best spline model (test RMSE {splineTest:E2}) is returned instead.")
            {
                StructuresTried = structure.Tried,
            };
        }

        var formula = new KanFormula(printed, names);
        var exactFormula = new KanFormula(chosen.Outputs, names);
        var model = chosen.Network is null ? null : ToModel(chosen.Network, bestSpline, options);
        string origin = chosen.Report.Structure is { } found ? $"the structure search ({found})" : $"{chosen.Report.Shape} seed {chosen.Report.ModelSeed}, complexity {chosen.Report.Complexity}";
        return new FormulaSearchResult(formula, exactFormula, model, chosen.Report, testRmse, bestSpline, splineTest, candidates, search.Retrains, clock.Elapsed,
            $"exact formula from {origin}, {candidates.Length} complete formula(s) compared, {search.Retrains} retrainings.")
        {
            Structure = chosen.Report.Structure,
            StructuresTried = structure.Tried,
        };
    }

    /// <summary>A KanNetwork whose every edge is the network's symbolic edge (or removed): saves, predicts, prints.</summary>
    private static KanNetwork ToModel(SearchNetwork network, KanNetwork spline, FormulaSearchOptions options)
    {
        var model = new KanNetwork(network.AdditionWidths, spline.GridSize, spline.SplineOrder, spline.Seed, engine: options.Engine,
            multiplicationNodes: network.HasMultiplication ? network.MultiplicationNodes : null, multiplicationArity: network.MultiplicationArity, beyondGrid: spline.BeyondGrid)
        {
            SymbolicLibrary = options.Library,
        };
        foreach (var (l, i, j) in network.Edges())
        {
            var edge = network[l, i, j];
            if (edge.Kind == SearchEdgeKind.Symbolic)
            {
                model.FixSymbolic(new KanEdge(l, i, j), edge.Function!, fitParameters: false);
                int index = model.Layout.EdgeOffset[l] + i * network.SubnodeWidths[l + 1] + j;
                edge.Affine.AsSpan().CopyTo(model.SymbolicParameters.Slice(index * 4, 4));
            }
            else
            {
                model.SetMask(new KanEdge(l, i, j), 0.0);
            }
        }

        return model;
    }

    /// <summary>Seeded split of the training rows into fit rows and held-back validation rows.</summary>
    private static (KanDataset FitData, SearchRows TrainRows, SearchRows ValidationRows) Split(KanDataset dataset, FormulaSearchOptions options)
    {
        int n = dataset.TrainCount, inputs = dataset.InputCount, outputs = dataset.OutputCount;
        var order = Enumerable.Range(0, n).ToArray();
        var random = new KanRandom(options.Seed);
        for (int k = n - 1; k > 0; k--)
        {
            int swap = random.NextInt(k + 1);
            (order[k], order[swap]) = (order[swap], order[k]);
        }

        int validationCount = Math.Max(1, (int)Math.Round(n * options.ValidationFraction));
        int fitCount = n - validationCount;
        double[] Gather(IEnumerable<int> rows, double[] source, int width) => rows.SelectMany(r => source.AsSpan(r * width, width).ToArray()).ToArray();
        var fitRows = order.Take(fitCount).ToArray();
        var validation = order.Skip(fitCount).ToArray();
        double[] fitInputs = Gather(fitRows, dataset.TrainInputs, inputs), fitLabels = Gather(fitRows, dataset.TrainLabels, outputs);
        double[] valInputs = Gather(validation, dataset.TrainInputs, inputs), valLabels = Gather(validation, dataset.TrainLabels, outputs);
        var fitData = new KanDataset(fitInputs, fitLabels, valInputs, valLabels, inputs, outputs, dataset.InputNames, dataset.OutputNames);
        var trainRows = new SearchRows(fitInputs, fitLabels, inputs, outputs).Take(options.TrainRows);
        return (fitData, trainRows, new SearchRows(valInputs, valLabels, inputs, outputs));
    }

    /// <summary>An independent copy of a model (through its saved form), so the search never changes the caller's.</summary>
    private static KanNetwork Copy(KanModel model)
    {
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        return KanModel.Load(stream, model.SymbolicLibrary);
    }

    /// <summary>RMSE of a model's predictions over the rows.</summary>
    internal static double ModelRmse(KanModel model, SearchRows rows)
    {
        var predictions = new double[rows.Labels.Length];
        model.Predict(rows.Inputs, predictions);
        double sum = 0.0;
        for (int k = 0; k < predictions.Length; k++)
        {
            sum += (predictions[k] - rows.Labels[k]) * (predictions[k] - rows.Labels[k]);
        }

        return Math.Sqrt(sum / Math.Max(1, predictions.Length));
    }
}
