using KanCompile.Symbolic;
using KanCompile.Symbolic.Discovery;
using System.Diagnostics;

namespace KanCompile.Cli.Fitting;

/// <summary>
/// pykan's training recipe as the CLI runs it: fit; with pruning, prune then fit again; then for every grid
/// size G in turn, refine to G then fit; with a symbolic library, auto-symbolic then a last fit that trains the
/// symbolic edges' affine parameters — or, with formula-search options, one "discover" step that runs
/// <see cref="KanFormulaSearch.Discover"/> and, when it finds a formula, continues with its symbolic model.
/// Every fit uses the same options. The recipe only trains: the formula,
/// exports and plots are later phases of <see cref="FitCommandHandler"/>.
/// </summary>
internal sealed class FitRecipe
{
    private readonly FitOptions _options;
    private readonly SymbolicLibrary? _library;
    private readonly FormulaSearchOptions? _search;

    public FitRecipe(FitOptions options, bool prune, IReadOnlyList<int> grids, SymbolicLibrary? symbolicLibrary = null, FormulaSearchOptions? formulaSearch = null)
    {
        _options = options;
        _library = symbolicLibrary;
        _search = formulaSearch;
        var steps = new List<RecipeStep> { new(RecipeStepKind.Fit) };
        if (prune)
        {
            steps.Add(new RecipeStep(RecipeStepKind.Prune));
            steps.Add(new RecipeStep(RecipeStepKind.Fit));
        }

        foreach (int grid in grids)
        {
            steps.Add(new RecipeStep(RecipeStepKind.Refine, grid));
            steps.Add(new RecipeStep(RecipeStepKind.Fit));
        }

        if (formulaSearch is not null)
        {
            steps.Add(new RecipeStep(RecipeStepKind.Discover));
        }
        else if (symbolicLibrary is not null)
        {
            steps.Add(new RecipeStep(RecipeStepKind.Symbolic));
            steps.Add(new RecipeStep(RecipeStepKind.Fit));
        }

        Steps = steps;
    }

    /// <summary>What the discover step found (null before it ran or without one).</summary>
    public FormulaSearchResult? Search { get; private set; }

    /// <summary>The planned steps, in order.</summary>
    public IReadOnlyList<RecipeStep> Steps { get; }

    /// <summary>
    /// Runs every step; returns the final model (pruning replaces it) and each step's outcome. Cancellation
    /// ends the current fit with the best parameters seen and skips the remaining steps.
    /// </summary>
    public (KanNetwork Model, IReadOnlyList<RecipeOutcome> Outcomes) Run(KanNetwork model, KanDataset data, IFitObserver observer, CancellationToken cancellationToken = default)
    {
        var outcomes = new List<RecipeOutcome>(Steps.Count);
        for (int index = 0; index < Steps.Count; index++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            RecipeStep step = Steps[index];
            observer.StepStarted(index, step, model);
            var clock = Stopwatch.StartNew();
            FitResult? fit = null;
            switch (step.Kind)
            {
                case RecipeStepKind.Fit:
                    int stepIndex = index;
                    fit = model.Fit(data, _options, new SynchronousProgress(p => observer.FitProgressed(stepIndex, p)), cancellationToken);
                    break;
                case RecipeStepKind.Prune:
                    model = Prune(model);
                    break;
                case RecipeStepKind.Refine:
                    model.Refine(step.GridSize!.Value);
                    break;
                case RecipeStepKind.Symbolic:
                    // The training rows, as pykan's auto_symbolic uses the cached training activations.
                    model.AutoSymbolic(data.TrainInputs, _library);
                    break;
                case RecipeStepKind.Discover:
                    Search = KanFormulaSearch.Discover(data, _search, cancellationToken: cancellationToken);
                    model = Search.SymbolicModel ?? model;
                    break;
            }

            var outcome = new RecipeOutcome(step, model.Widths.ToArray(), model.GridSize, model.ParameterCount, fit, clock.Elapsed);
            outcomes.Add(outcome);
            observer.StepCompleted(index, outcome);
        }

        return (model, outcomes);
    }

    private static KanNetwork Prune(KanNetwork model)
    {
        try
        {
            return model.Prune();
        }
        catch (InvalidOperationException error)
        {
            // Every node of a hidden layer scored below pykan's threshold: the fit found no structure to keep.
            throw new KanCliException($"--prune: {error.Message} Train longer (--steps) or drop --prune.", ExitCodes.Failure);
        }
    }

    /// <summary>Reports on the training thread, in step order (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<FitProgress> report) : IProgress<FitProgress>
    {
        public void Report(FitProgress value) => report(value);
    }
}
