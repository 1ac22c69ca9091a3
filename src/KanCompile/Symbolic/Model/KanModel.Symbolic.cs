using KanCompile.Generators.Formulas;
using KanCompile.Symbolic;
using KanCompile.Symbolic.Expressions;

namespace KanCompile;

public abstract partial class KanModel
{
    /// <summary>pykan's r² for fixing an edge whose numeric mask was already 0 (a dead edge).</summary>
    public const double DeadEdgeRSquared = -1e8;

    private SymbolicEdgeTable? _symbolicTable;
    private SymbolicMixedKernel? _symbolicKernel;
    private SymbolicLibrary _symbolicLibrary = SymbolicLibrary.Default;

    /// <summary>
    /// Where <c>FixSymbolic</c> looks up function names, and the default candidates of
    /// <see cref="SuggestSymbolic(KanEdge, int, SymbolicLibrary?, double)"/> and <see cref="AutoSymbolic(SymbolicLibrary?, double, double)"/>. <see cref="SymbolicLibrary.Default"/> unless set
    /// (for example to a library extended with <see cref="SymbolicLibrary.AddSymbolic(SymbolicFunction)"/>).
    /// </summary>
    public SymbolicLibrary SymbolicLibrary
    {
        get => _symbolicLibrary;
        set => _symbolicLibrary = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>
    /// True when some edge has a live symbolic branch. Such a model computes through the mixed entry points of its
    /// kernel (splines plus ψ = smask·(c·f(a·x + b) + d) per edge; see kan-math §2.4), which read the symbolic
    /// configuration at run time (nothing is compiled when it changes), and Fit also trains the affine parameters.
    /// </summary>
    public bool HasSymbolicEdges => _symbolicKernel is not null;

    /// <summary>
    /// The affine parameters (a, b, c, d) of every edge's symbolic branch: four values per edge, edges layer after
    /// layer in mask order (i·out + j). Writes go straight into the model. Kept apart from <see cref="Parameters"/>
    /// so the spline layout stays the same with or without symbolic edges; Fit trains both as one
    /// vector [<see cref="Parameters"/> | SymbolicParameters].
    /// </summary>
    public Span<double> SymbolicParameters => SymbolicTable.Affine;

    /// <summary>
    /// pykan's <c>singularity_avoiding</c> with threshold y_th (<c>y_th</c>, pykan uses 1000 when it is on): when set,
    /// symbolic edges evaluate the singularity-safe variants of kan-math §1.9 (in forward, training and tracing);
    /// null (the default, as pykan's forward and fit) evaluates the plain functions.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The threshold is not finite and positive.</exception>
    public double? SymbolicSingularityThreshold
    {
        get => _symbolicTable is { SingularityThreshold: > 0.0 } table ? table.SingularityThreshold : null;
        set
        {
            if (value is double threshold && !(threshold > 0.0 && double.IsFinite(threshold)))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The singularity threshold y_th must be finite and > 0 (pykan's default is 1000), or null for the plain functions.");
            }

            SymbolicTable.SingularityThreshold = value ?? 0.0;
        }
    }

    internal SymbolicEdgeTable SymbolicTable => _symbolicTable ??= new SymbolicEdgeTable(Layout.EdgeCount);

    /// <summary>The mixed kernel while symbolic edges are live, else null.</summary>
    internal SymbolicMixedKernel? SymbolicKernel => _symbolicKernel;

    /// <summary>Symbolic mask of <paramref name="edge"/>: 1 live, 0 off.</summary>
    public double GetSymbolicMask(KanEdge edge)
    {
        int index = EdgeIndex(edge);
        return _symbolicTable?.Masks[index] ?? 0.0;
    }

    /// <summary>
    /// The symbolic branch of <paramref name="edge"/>: its function name and affine (a, b, c, d) whatever its
    /// mask; null while the edge still has pykan's initial zero function (never fixed, or unfixed).
    /// </summary>
    public SymbolicEdge? GetSymbolicEdge(KanEdge edge)
    {
        int index = EdgeIndex(edge);
        if (_symbolicTable is null || _symbolicTable.Functions[index] is not SymbolicFunction function)
        {
            return null;
        }

        ReadOnlySpan<double> affine = _symbolicTable.Affine.AsSpan(index * SymbolicEdgeTable.AffinePerEdge, SymbolicEdgeTable.AffinePerEdge);
        return new SymbolicEdge(function.Name, affine[0], affine[1], affine[2], affine[3]);
    }

    /// <summary>
    /// Sets which branches of <paramref name="edge"/> are live (pykan's <c>set_mode</c>): 'n' numeric only,
    /// 's' symbolic only, 'sn' both.
    /// </summary>
    public void SetSymbolicMode(KanEdge edge, SymbolicMode mode)
    {
        int index = EdgeIndex(edge);
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Use SymbolicMode.Numeric, Symbolic or Both.");
        }

        SetMask(edge, mode == SymbolicMode.Symbolic ? 0.0 : 1.0);
        SymbolicTable.Masks[index] = mode == SymbolicMode.Numeric ? 0.0 : 1.0;
        RefreshSymbolicKernel();
    }

    /// <summary>
    /// pykan's <c>fix_symbolic</c> (kan-math §2.12): makes <paramref name="edge"/> the symbolic function
    /// <paramref name="name"/> from <see cref="SymbolicLibrary"/>, with (a, b, c, d) fitted to the edge's samples —
    /// x = the values of the node feeding it and y = its numeric output φ (base term included) over
    /// <paramref name="inputs"/> (row-major samples, not empty) — then sets the numeric mask to 0 and the symbolic
    /// mask to 1.
    /// </summary>
    /// <returns>The fit's r²; <see cref="DeadEdgeRSquared"/> when the numeric mask was already 0 (as pykan).</returns>
    /// <exception cref="KeyNotFoundException">The name is not in <see cref="SymbolicLibrary"/>.</exception>
    public double FixSymbolic(KanEdge edge, string name, ReadOnlySpan<double> inputs, (double Min, double Max)? aRange = null, (double Min, double Max)? bRange = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        return FixSymbolic(edge, SymbolicLibrary.Get(name), inputs, aRange, bRange);
    }

    /// <summary>
    /// As <see cref="FixSymbolic(KanEdge, string, ReadOnlySpan{double}, ValueTuple{double, double}?, ValueTuple{double, double}?)"/>
    /// with the edge's samples traced on <see cref="LastFitInputs"/>, the last fit's training inputs; without fitting
    /// (<paramref name="fitParameters"/> false) the affine is (1, 0, 1, 0) and no fit is needed.
    /// </summary>
    /// <returns>The fit's r²; <see cref="DeadEdgeRSquared"/> when the numeric mask was already 0 (as pykan);
    /// NaN when <paramref name="fitParameters"/> is false.</returns>
    /// <exception cref="KeyNotFoundException">The name is not in <see cref="SymbolicLibrary"/>.</exception>
    /// <exception cref="InvalidOperationException">Fitting before the model was ever fitted.</exception>
    public double FixSymbolic(KanEdge edge, string name, bool fitParameters = true, (double Min, double Max)? aRange = null, (double Min, double Max)? bRange = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        return FixSymbolic(edge, SymbolicLibrary.Get(name), fitParameters, aRange, bRange);
    }

    /// <summary>As <c>FixSymbolic</c> by name on <paramref name="inputs"/>,
    /// with the function itself (for example a candidate of <c>SuggestSymbolic</c> from another library).</summary>
    public double FixSymbolic(KanEdge edge, SymbolicFunction function, ReadOnlySpan<double> inputs, (double Min, double Max)? aRange = null, (double Min, double Max)? bRange = null)
    {
        RequireSamples(inputs, nameof(FixSymbolic));
        return FixSymbolicCore(edge, function, fitAffine: true, inputs, aRange, bRange);
    }

    /// <summary>As <c>FixSymbolic</c> by name on the last fit's inputs,
    /// with the function itself (for example a candidate of <c>SuggestSymbolic</c> from another library).</summary>
    public double FixSymbolic(KanEdge edge, SymbolicFunction function, bool fitParameters = true, (double Min, double Max)? aRange = null, (double Min, double Max)? bRange = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        EdgeIndex(edge); // checks the edge before looking for samples
        return FixSymbolicCore(edge, function, fitParameters, fitParameters ? LastFitSamples(nameof(FixSymbolic)) : default, aRange, bRange);
    }

    private double FixSymbolicCore(KanEdge edge, SymbolicFunction function, bool fitAffine, ReadOnlySpan<double> inputs, (double Min, double Max)? aRange, (double Min, double Max)? bRange)
    {
        ArgumentNullException.ThrowIfNull(function);
        EdgeIndex(edge); // checks the edge before any fitting
        double rSquared = double.NaN;
        var affine = (A: 1.0, B: 0.0, C: 1.0, D: 0.0);
        if (fitAffine)
        {
            var (x, y) = EdgeSamples(edge, inputs);
            var options = SymbolicFitOptions.Default with
            {
                AMin = aRange?.Min ?? SymbolicFitOptions.Default.AMin,
                AMax = aRange?.Max ?? SymbolicFitOptions.Default.AMax,
                BMin = bRange?.Min ?? SymbolicFitOptions.Default.BMin,
                BMax = bRange?.Max ?? SymbolicFitOptions.Default.BMax,
            };
            var fit = SymbolicFit.FitParameters(x, y, function, options);
            affine = (fit.A, fit.B, fit.C, fit.D);
            rSquared = GetMask(edge) == 0.0 ? DeadEdgeRSquared : fit.RSquared;
        }

        SetSymbolicEdge(edge, function, affine);
        return rSquared;
    }

    /// <summary>Makes the edge symbolic with f and (a, b, c, d) as given.</summary>
    private void SetSymbolicEdge(KanEdge edge, SymbolicFunction function, (double A, double B, double C, double D) affine)
    {
        int index = EdgeIndex(edge);
        var table = SymbolicTable;
        table.SetFunction(index, function);
        var slot = table.Affine.AsSpan(index * SymbolicEdgeTable.AffinePerEdge, SymbolicEdgeTable.AffinePerEdge);
        (slot[0], slot[1], slot[2], slot[3]) = affine;
        SetSymbolicMode(edge, SymbolicMode.Symbolic);
    }

    /// <summary>pykan's <c>unfix_symbolic</c>: numeric mask 1, symbolic mask 0, and the edge's function back to zero
    /// (its affine parameters stay).</summary>
    public void UnfixSymbolic(KanEdge edge)
    {
        int index = EdgeIndex(edge);
        SetSymbolicMode(edge, SymbolicMode.Numeric);
        SymbolicTable.SetFunction(index, null);
    }

    /// <summary>pykan's <c>unfix_symbolic_all</c>: <see cref="UnfixSymbolic"/> on every edge — which, as in pykan, also
    /// sets every numeric mask to 1, pruned edges included.</summary>
    public void UnfixSymbolicAll()
    {
        foreach (var edge in Edges)
        {
            UnfixSymbolic(edge);
        }
    }

    /// <summary>
    /// pykan's <c>suggest_symbolic</c>: fits every function of <paramref name="library"/> (default
    /// <see cref="SymbolicLibrary"/>) to <paramref name="edge"/>'s samples and ranks them by
    /// w·complexity + (1 − w)·log2(1 + 1e-5 − r²), best first. The samples are traced on <paramref name="inputs"/>
    /// (row-major, not empty). The model is not changed.
    /// </summary>
    public IReadOnlyList<SymbolicCandidate> SuggestSymbolic(KanEdge edge, ReadOnlySpan<double> inputs, int topK = 5, SymbolicLibrary? library = null, double weightSimple = 0.8)
    {
        RequireSamples(inputs, nameof(SuggestSymbolic));
        var (x, y) = EdgeSamples(edge, inputs);
        return SymbolicFit.SuggestSymbolic(x, y, library ?? SymbolicLibrary, topK, weightSimple);
    }

    /// <summary>As <see cref="SuggestSymbolic(KanEdge, ReadOnlySpan{double}, int, SymbolicLibrary?, double)"/> on
    /// <see cref="LastFitInputs"/>, the last fit's training inputs.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public IReadOnlyList<SymbolicCandidate> SuggestSymbolic(KanEdge edge, int topK = 5, SymbolicLibrary? library = null, double weightSimple = 0.8)
    {
        EdgeIndex(edge); // checks the edge before looking for samples
        return SuggestSymbolic(edge, LastFitSamples(nameof(SuggestSymbolic)), topK, library, weightSimple);
    }

    /// <summary>
    /// pykan's <c>auto_symbolic</c>: for every edge, layer by layer — symbolic only → skip; both masks 0 → fix '0';
    /// otherwise fix the best suggestion of <paramref name="library"/> (default <see cref="SymbolicLibrary"/>) when
    /// its r² ≥ <paramref name="r2Threshold"/>. Samples are re-traced per edge, so later layers see the values the
    /// edges fixed before them produce, as in pykan. The samples are traced on <paramref name="inputs"/> (row-major,
    /// not empty).
    /// </summary>
    /// <returns>One entry per edge saying what was done.</returns>
    public IReadOnlyList<AutoSymbolicEntry> AutoSymbolic(ReadOnlySpan<double> inputs, SymbolicLibrary? library = null, double weightSimple = 0.8, double r2Threshold = 0.0)
    {
        RequireSamples(inputs, nameof(AutoSymbolic));
        library ??= SymbolicLibrary;
        double[] samples = inputs.ToArray();
        var report = new List<AutoSymbolicEntry>();
        foreach (var edge in Edges)
        {
            bool symbolic = GetSymbolicMask(edge) > 0.0, numeric = GetMask(edge) != 0.0;
            if (symbolic && !numeric)
            {
                report.Add(new AutoSymbolicEntry(edge, AutoSymbolicAction.SkippedAlreadySymbolic, null, double.NaN, 0));
            }
            else if (!symbolic && !numeric)
            {
                var zero = SymbolicLibrary.Default.Get("0");
                double r2 = FixSymbolic(edge, zero, inputs: samples);
                report.Add(new AutoSymbolicEntry(edge, AutoSymbolicAction.FixedZero, zero.Name, r2, zero.Complexity));
            }
            else
            {
                var best = SuggestSymbolic(edge, samples, 1, library, weightSimple)[0];
                if (best.RSquared >= r2Threshold)
                {
                    // FixSymbolic would fit the same samples with the same options again: use the suggestion's fit.
                    SetSymbolicEdge(edge, best.Function, (best.Fit.A, best.Fit.B, best.Fit.C, best.Fit.D));
                    report.Add(new AutoSymbolicEntry(edge, AutoSymbolicAction.Fixed, best.Name, best.RSquared, best.Complexity));
                }
                else
                {
                    report.Add(new AutoSymbolicEntry(edge, AutoSymbolicAction.BelowThreshold, best.Name, best.RSquared, best.Complexity));
                }
            }
        }

        return report;
    }

    /// <summary>As <see cref="AutoSymbolic(ReadOnlySpan{double}, SymbolicLibrary?, double, double)"/> on
    /// <see cref="LastFitInputs"/>, the last fit's training inputs.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public IReadOnlyList<AutoSymbolicEntry> AutoSymbolic(SymbolicLibrary? library = null, double weightSimple = 0.8, double r2Threshold = 0.0) =>
        AutoSymbolic(LastFitSamples(nameof(AutoSymbolic)), library, weightSimple, r2Threshold);

    /// <summary>
    /// pykan's <c>symbolic_formula</c> (kan-math §2.13): composes the live symbolic edges into one simplified
    /// expression per output (with <see cref="SymbolicFormula.Compose"/>), rounded to <paramref name="roundDigits"/>
    /// significant digits when given. Unlike pykan, which silently drops them, edges whose numeric branch is still
    /// live make the formula wrong, so they are refused.
    /// </summary>
    /// <param name="variableNames">Input names for printing; x1..xn when null.</param>
    /// <param name="roundDigits">Digits to round constants to (pykan's <c>ex_round</c>); no rounding when null.</param>
    /// <exception cref="InvalidOperationException">Some edge still has a live numeric branch; the message lists them
    /// (fix them with FixSymbolic/AutoSymbolic, or prune them).</exception>
    public KanFormula SymbolicFormula(IReadOnlyList<string>? variableNames = null, int? roundDigits = null)
    {
        if (variableNames is not null && variableNames.Count != InputCount)
        {
            throw new ArgumentException($"Give one name per input: the model has {InputCount} inputs, got {variableNames.Count} names.", nameof(variableNames));
        }

        var numeric = Edges.Where(edge => GetMask(edge) != 0.0).ToList();

        if (numeric.Count > 0)
        {
            throw new InvalidOperationException(
                $"The formula would be incomplete: edges {string.Join(", ", numeric)} (layer, input, output) still have a live numeric (spline) branch. " +
                "Fix them with FixSymbolic or AutoSymbolic, or prune them, before calling SymbolicFormula.");
        }

        // The composition ExportCSharp and [KanFormula] use, before simplification, so rounding can come first.
        var outputs = ModelFormulaBuilder.ComposeUnsimplified(ToExportModel())
            .Select(expression => roundDigits is int digits ? RoundFormula(expression, digits) : expression.Simplify())
            .ToArray();
        var names = variableNames?.ToArray() ?? Enumerable.Range(1, InputCount).Select(k => "x" + k).ToArray();
        return new KanFormula(outputs, names);
    }

    /// <summary>
    /// Rounds, simplifies, then rounds and simplifies again: rounding can zero a tiny bias that kept two factors apart
    /// (a multiplication node's (0.86·x2 + 2e-16)·(−0.92·x1)), and the constants folded after that need rounding too.
    /// First, biases below 1e-15 go (rounding at 15 decimals moves no other constant by more than 5e-16), so factors
    /// fold before they are rounded: 0.010013·(−9.99348·x2 − 1.7e-16)² is x2², not 0.01·(−9.9935·x2)² = 0.9987·x2².
    /// </summary>
    private static SymbolicExpression RoundFormula(SymbolicExpression expression, int digits) =>
        expression.Simplify().Round(15).Simplify().Round(digits).Simplify().Round(digits).Simplify();

    /// <summary>Sets an edge's symbolic branch from saved state (persistence and subsets).</summary>
    internal void RestoreSymbolicEdge(int edge, SymbolicFunction? function, ReadOnlySpan<double> affine, double mask)
    {
        var table = SymbolicTable;
        table.SetFunction(edge, function);
        affine.CopyTo(table.Affine.AsSpan(edge * SymbolicEdgeTable.AffinePerEdge, SymbolicEdgeTable.AffinePerEdge));
        table.Masks[edge] = mask;
        RefreshSymbolicKernel();
    }

    /// <summary>
    /// Switches between the spline kernel and the mixed view of it; also called after a grid change. The view binds
    /// the symbolic table to the spline kernel's mixed entry points, so no configuration change compiles anything.
    /// </summary>
    private void RefreshSymbolicKernel()
    {
        _symbolicKernel = _symbolicTable is { AnyActive: true } table
            ? new SymbolicMixedKernel(Architecture.KernelSpecFor(GridSize), _kernel, table)
            : null;
    }

    /// <summary>The (x, φ) samples of one edge: x = the values of the node feeding it, y = its numeric output.</summary>
    private (double[] X, double[] Y) EdgeSamples(KanEdge edge, ReadOnlySpan<double> samples)
    {
        int edgeIndex = EdgeIndex(edge);
        int count = SampleBatch.Count(samples, InputCount, "inputs");
        var layout = Layout;
        var nodes = new double[layout.NodeCount];
        var edges = new double[layout.EdgeCount];
        var splines = new double[layout.EdgeCount];
        var x = new double[count];
        var y = new double[count];
        int node = layout.NodeOffset[edge.Layer] + edge.Input;
        var kernel = SampleKernel();
        for (int s = 0; s < count; s++)
        {
            kernel.Trace(samples.Slice(s * InputCount, InputCount), ParameterBuffer, KnotTable, MaskBuffer, nodes, edges, splines);
            x[s] = nodes[node];
            y[s] = edges[edgeIndex];
        }

        return (x, y);
    }

    /// <summary>
    /// The kernel that traces edge samples for fitting. fit_params' grid argmax is a near tie that follows the last bits
    /// of the samples, so with symbolic edges live they are traced by the reference engine's mixed path (pykan's
    /// recursion, edge by edge — bit for bit what the mixed kernel computed before it was compiled): which function and
    /// affine AutoSymbolic picks does not depend on the compiled kernel's summation order. Tracing is cheap beside the
    /// grid search it feeds.
    /// </summary>
    private Compilation.KanKernel SampleKernel()
    {
        if (_symbolicKernel is null)
        {
            return Kernel;
        }

        var spec = Architecture.KernelSpecFor(GridSize);
        return new SymbolicMixedKernel(spec, new Engine.ReferenceKernel(spec), SymbolicTable);
    }
}
