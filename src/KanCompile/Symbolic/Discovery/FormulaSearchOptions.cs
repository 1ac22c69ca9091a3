namespace KanCompile.Symbolic.Discovery;

/// <summary>
/// Settings of <see cref="KanFormulaSearch.Discover"/>. The defaults are one fixed configuration meant for any
/// law: nothing here is chosen per problem. Use <c>with</c> to change a few.
/// </summary>
public sealed record FormulaSearchOptions
{
    /// <summary>The functions of <see cref="DefaultLibrary"/>: pykan's library without its duplicates (x^0.5,
    /// 1/x^0.5), its rarely useful high powers, cos (sin with a shift), and the non-smooth abs and sgn.</summary>
    public static readonly IReadOnlyList<string> DefaultLibraryNames =
        ["x", "x^2", "x^3", "x^4", "1/x", "1/x^2", "sqrt", "1/sqrt(x)", "exp", "log", "sin", "tanh", "arcsin", "arctan"];

    /// <summary>The library the search snaps edges to by default.</summary>
    public static SymbolicLibrary DefaultLibrary { get; } = SymbolicLibrary.Create([.. DefaultLibraryNames]);

    /// <summary>Functions an edge may become (removing an edge is always a candidate too).</summary>
    public SymbolicLibrary Library { get; init; } = DefaultLibrary;

    /// <summary>
    /// The functions the exhaustive search over short expressions builds one-variable parts from (beside x, the
    /// constants 1, 2 and 3, negation and + − × ÷): <see cref="DefaultExpressionFunctionNames"/> by default.
    /// </summary>
    public SymbolicLibrary ExpressionLibrary { get; init; } = SymbolicLibrary.Create([.. DefaultExpressionFunctionNames]);

    /// <summary>
    /// The functions of the default <see cref="ExpressionLibrary"/>: powers and roots come from x^2, x^3, 1/x and sqrt,
    /// and every function but the powers comes with its inverse.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultExpressionFunctionNames =
        ["x^2", "x^3", "1/x", "sqrt", "exp", "log", "sin", "cos", "tanh", "arcsin", "arctan", "arctanh"];

    /// <summary>
    /// Whether the search first reads the law's structure off a trained spline model (separability, symmetries,
    /// output transforms) and solves its parts (on by default); off, only the shape search runs.
    /// </summary>
    public bool StructureSearch { get; init; } = true;

    /// <summary>Candidates tried per edge before backtracking (the best few by pykan's suggest loss).</summary>
    public int TopK { get; init; } = 3;

    /// <summary>Base seed: of the train/validation split and of the spline models (seed, seed + 1, …).</summary>
    public int Seed { get; init; }

    /// <summary>Optimiser steps of every spline fit.</summary>
    public int SplineSteps { get; init; } = 50;

    /// <summary>Grid sizes the spline models are fitted on in turn (refined between fits).</summary>
    public IReadOnlyList<int> GridSizes { get; init; } = [5, 10];

    /// <summary>Regularisation of the wide model that is pruned (pykan's quick-start λ).</summary>
    public double PruneLambda { get; init; } = 1e-3;

    /// <summary>
    /// How many spline models (shape, seed, template, output transform) are tried at most, in the fixed order of
    /// the shape search; all of them by default. Lower it to bound the time spent on laws with no closed form.
    /// </summary>
    public int MaxModels { get; init; } = int.MaxValue;

    /// <summary>
    /// Spline models (at most; also within <see cref="MaxModels"/>) the shape search tries after a structure search
    /// that found nothing exact: the simplest shapes of its list — [n,1,m], the products, [n,2,m], the sum plus a
    /// product, the pruned wide model (a model handed to the search is the first). The structure search is the main
    /// road; the shape search behind it is a bounded second look, so a law with no closed form ends in seconds, not
    /// minutes. A count, not a time: the same seed gives the same result on any machine.
    /// </summary>
    public int FallbackModels { get; init; } = 6;

    /// <summary>
    /// Multiplication nodes (pykan's MultKAN) the product shapes may use: shapes [n,[0,k],m] and [n,[1,k],m] for
    /// k = 1…this are tried; 0 leaves multiplication nodes out of the search.
    /// </summary>
    public int MaxMultiplicationNodes { get; init; } = 1;

    /// <summary>Sub-nodes each multiplication node of the product shapes multiplies (pykan's <c>mult_arity</c>).</summary>
    public int MultiplicationArity { get; init; } = 2;

    /// <summary>
    /// Retrainings (one per tried edge candidate) allowed per spline model: every model first gets a quarter of it,
    /// then the models whose splines fit best are searched again with all of it (iterative deepening), so no one
    /// shape — not even a pruned model handed to the search — can spend the whole budget before the others are tried.
    /// </summary>
    public int MaxRetrainsPerModel { get; init; } = 60;

    /// <summary>
    /// Retrainings allowed over the whole search: the work budget. When it is spent the search trains no further
    /// spline model and ends — with the simplest exact formula found so far or "no formula found" and the best
    /// spline model. A count, not a time, so the same seed gives the same result on any machine (pass a
    /// <see cref="CancellationToken"/> to bound the time instead). The default lies above what every law of
    /// samples/FormulaDiscovery that is recovered needs (at most 381) and ends a search that has found nothing
    /// after about eight fully searched models; lower it to give up sooner.
    /// </summary>
    public int MaxRetrains { get; init; } = 480;

    /// <summary>
    /// A partially fixed network is explored further only while its RMSE stays within this factor of the spline
    /// network's; above it the search backtracks.
    /// </summary>
    public double BacktrackFactor { get; init; } = 10.0;

    /// <summary>
    /// The backtracking threshold never falls below this times the labels' standard deviation: when the splines
    /// are very precise, 10× their RMSE would reject a right edge whose neighbours have not re-converged yet
    /// (partial states get only a few retraining steps).
    /// </summary>
    public double BacktrackFloor { get; init; } = 1e-3;

    /// <summary>
    /// A spline model is searched only when its training RMSE is at most this times the labels' RMS: a shape
    /// whose splines cannot fit the data cannot hold its formula.
    /// </summary>
    public double MaxSplineError { get; init; } = 1e-2;

    /// <summary>A formula counts as exact when its validation RMSE is at most this times the labels' RMS.</summary>
    public double ExactTolerance { get; init; } = 1e-8;

    /// <summary>Share of the training rows held back to choose among complete formulas.</summary>
    public double ValidationFraction { get; init; } = 0.2;

    /// <summary>Training rows (at most) that candidates are retrained on.</summary>
    public int TrainRows { get; init; } = 256;

    /// <summary>Rows (at most) an edge's samples are taken from when ranking its candidates.</summary>
    public int EdgeSampleRows { get; init; } = 96;

    /// <summary>Kernels of the spline models: compiled on demand (default) or the reference engine.</summary>
    public KanEngine Engine { get; init; } = KanEngine.Compiled;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Library);
        Check(TopK >= 1, nameof(TopK), "at least 1");
        Check(SplineSteps >= 1, nameof(SplineSteps), "at least 1");
        Check(GridSizes is { Count: > 0 } && GridSizes.All(g => g >= 1), nameof(GridSizes), "a non-empty list of grid sizes >= 1");
        Check(PruneLambda >= 0 && double.IsFinite(PruneLambda), nameof(PruneLambda), "finite and not negative");
        Check(MaxModels >= 1, nameof(MaxModels), "at least 1");
        Check(FallbackModels >= 0, nameof(FallbackModels), "0 or more");
        Check(MaxMultiplicationNodes >= 0, nameof(MaxMultiplicationNodes), "0 or more");
        Check(MultiplicationArity >= 2, nameof(MultiplicationArity), "at least 2");
        Check(MaxRetrainsPerModel >= 1, nameof(MaxRetrainsPerModel), "at least 1");
        Check(MaxRetrains >= 1, nameof(MaxRetrains), "at least 1");
        Check(BacktrackFactor >= 1 && double.IsFinite(BacktrackFactor), nameof(BacktrackFactor), "a finite number >= 1");
        Check(ExactTolerance > 0 && double.IsFinite(ExactTolerance), nameof(ExactTolerance), "a positive finite number");
        Check(BacktrackFloor >= 0 && double.IsFinite(BacktrackFloor), nameof(BacktrackFloor), "finite and not negative");
        Check(MaxSplineError > 0 && double.IsFinite(MaxSplineError), nameof(MaxSplineError), "a positive finite number");
        Check(ValidationFraction > 0 && ValidationFraction < 1, nameof(ValidationFraction), "between 0 and 1 (exclusive)");
        Check(TrainRows >= 10, nameof(TrainRows), "at least 10");
        Check(EdgeSampleRows >= 10, nameof(EdgeSampleRows), "at least 10");
        Check(Library.Count > 0, nameof(Library), "a non-empty library");
        Check(ExpressionLibrary is not null, nameof(ExpressionLibrary), "a library (it may be empty)");
    }

    private static void Check(bool ok, string name, string requirement)
    {
        if (!ok)
        {
            throw new ArgumentException($"Invalid FormulaSearchOptions.{name}: it must be {requirement}.", "options");
        }
    }
}
