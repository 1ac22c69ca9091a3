using KanCompile.Interpretability.Hypotheses;
using KanCompile.Symbolic.Expressions;

namespace KanCompile.Symbolic.Discovery;

/// <summary>A reading of a part: an expression over the part's variables, its relative error on the part, and how it was built.</summary>
internal sealed record PartSolution(SymbolicExpression Expression, double Error, FormulaStructure Structure);

/// <summary>How hard one pass of the structure search works: expression size of one-variable parts, readings kept
/// per part, splits tried per part, the largest hypothesis score a split may have to be tried, and how many
/// one-variable parts get the full expression size (the most plausible splits reach them first; later ones are
/// searched one node shorter — a count, not a time, so every host does the same work), and how many one-variable
/// parts the short expressions leave inexact are also tried as small KANs (<see cref="LeafNetworkSearch"/>).</summary>
internal sealed record StructureStage(int ExpressionSize, int Beam, int Alternatives, double Threshold, int FullSizeLeaves = int.MaxValue, int LeafNetworks = 0);

/// <summary>
/// Discovery by decomposition (issue 18 item 2, after AI Feynman and KAN 2.0 §4): the trained model's derivatives
/// say how the law splits — a variable it does not use, an additive or multiplicative split, a constant plus a
/// product, a split that appears after an output transform (y², 1/y, log y, sin y, …), or a pair of variables that
/// enters only as a − b, a + b, a·b or a/b — and each split becomes smaller problems read off the same model
/// (slices, factors, the combination as one variable), solved recursively down to one-variable parts, which the
/// exhaustive short-expression search solves (and, where its readings stay inexact, small [1,1,1]/[1,2,1] KANs:
/// <see cref="LeafNetworkSearch"/>). Readings of the parts are combined and their constants refitted on
/// the part's samples; the caller refits the law's on the original rows and judges it on held-back rows. A split
/// whose test fails is never solved, so it costs only its test. Nothing here knows a law.
/// </summary>
internal sealed class StructureSearch
{
    /// <summary>Points a part's hypotheses are tested at (and its combined readings refitted on).</summary>
    private const int SamplePoints = 160;

    /// <summary>Points a one-variable part is sampled at (evenly over its range).</summary>
    private const int LeafPoints = 200;

    /// <summary>Nested splits at most.</summary>
    private const int MaxDepth = 6;

    /// <summary>Below this share of the output's spread (times the input's), a variable counts as unused.</summary>
    private const double UnusedVariable = 1e-3;

    private readonly IReadOnlyList<SymbolicFunction> _functions;
    private readonly int _seed;
    private readonly CancellationToken _cancellationToken;
    private readonly Dictionary<string, IReadOnlyList<PartSolution>> _cache = new(StringComparer.Ordinal);
    private StructureStage _stage = new(5, 3, 1, 0.05);
    private ShortExpressionSearch _leafSearch;
    private ShortExpressionSearch _shorterLeafSearch;
    private int _fullSizeLeaves;
    private readonly LeafNetworkSearch? _leafNetworks;
    private readonly Dictionary<string, IReadOnlyList<ShortExpression>> _leafNetworkReadings = new(StringComparer.Ordinal);
    private int _leafNetworksThisPass;

    /// <summary>Relative error above which a one-variable part's best short expression counts as not found.</summary>
    private const double LeafExact = 1e-7;

    /// <summary>Readings a one-variable part takes from its small KANs.</summary>
    private const int LeafNetworkReadings = 2;

    private readonly Func<SearchRows, DifferentiableFunction>? _retrain;

    /// <param name="functions">What one-variable parts are built from.</param>
    /// <param name="seed">Seeds every part's sample points.</param>
    /// <param name="cancellationToken">Stops the search between parts.</param>
    /// <param name="retrain">
    /// Trains a model on a part's own rows: a part with fewer variables whose rows are exact (a combination, a
    /// variable left out) is then read off a model of its own, more accurate than the law's; null reads every part
    /// off the root's function (as for a function whose derivatives are exact).
    /// </param>
    /// <param name="leafNetworks">Options of the small KANs one-variable parts are also tried as (in stages that allow them); null for none.</param>
    public StructureSearch(IReadOnlyList<SymbolicFunction> functions, int seed, CancellationToken cancellationToken, Func<SearchRows, DifferentiableFunction>? retrain = null, FormulaSearchOptions? leafNetworks = null)
    {
        _leafNetworks = leafNetworks is null ? null : new LeafNetworkSearch(leafNetworks, cancellationToken);
        _functions = functions;
        _seed = seed;
        _cancellationToken = cancellationToken;
        _retrain = retrain;
        _leafSearch = new ShortExpressionSearch(functions, _stage.ExpressionSize);
        _shorterLeafSearch = new ShortExpressionSearch(functions, Math.Max(1, _stage.ExpressionSize - 1));
    }

    /// <summary>Rows at most that a part's own model trains on, or a one-variable part is searched on.</summary>
    private const int PartRows = 400;

    private readonly Dictionary<string, LawPart> _refreshed = new(StringComparer.Ordinal);

    /// <summary>
    /// A part with fewer variables and rows of its own, read off a model trained on those rows (when a trainer was
    /// given; once per part, however often it is reached).
    /// </summary>
    private LawPart Refreshed(LawPart part)
    {
        if (_retrain is null || part.Rows is not { Count: >= 40 } rows || part.Arity < 2 || _cancellationToken.IsCancellationRequested)
        {
            return part;
        }

        if (!_refreshed.TryGetValue(part.Key, out var refreshed))
        {
            refreshed = part.WithFunction(_retrain(rows.Take(PartRows * 2)));
            _refreshed[part.Key] = refreshed;
        }

        return refreshed;
    }

    /// <summary>One-variable searches run so far (the unit of work).</summary>
    public int LeafSearches { get; private set; }

    /// <summary>Every split tried, with its test score, in order (for the report).</summary>
    public List<string> Tried { get; } = [];

    /// <summary>The best readings of <paramref name="root"/> at <paramref name="stage"/>, best first.</summary>
    public IReadOnlyList<PartSolution> Solve(LawPart root, StructureStage stage)
    {
        if (stage.ExpressionSize != _stage.ExpressionSize)
        {
            _leafSearch = new ShortExpressionSearch(_functions, stage.ExpressionSize);
            _shorterLeafSearch = new ShortExpressionSearch(_functions, Math.Max(1, stage.ExpressionSize - 1));
        }

        _stage = stage;
        _fullSizeLeaves = 0;
        _leafNetworksThisPass = 0;
        return Solve(root, 0, allowTransform: true);
    }

    private IReadOnlyList<PartSolution> Solve(LawPart part, int depth, bool allowTransform)
    {
        string key = $"{part.Key}|{allowTransform}|{_stage}";
        if (_cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        IReadOnlyList<PartSolution> result = [];
        if (depth <= MaxDepth && !_cancellationToken.IsCancellationRequested)
        {
            result = part.Arity == 1 ? Leaf(part) : Split(part, depth, allowTransform);
        }

        _cache[key] = result;
        return result;
    }

    /// <summary>
    /// A one-variable part: the exhaustive search over short expressions, on a grid over the part's valid range;
    /// <paramref name="regressors"/> are readings the part may contain with any weight.
    /// </summary>
    private IReadOnlyList<PartSolution> Leaf(LawPart part, IReadOnlyList<SymbolicExpression>? regressors = null)
    {
        var (min, max) = part.Box[0];

        // A part with rows of its own is searched on them: they are exact where the model is only close.
        var (x, y) = part.Rows is { Count: >= LeafPoints / 2 } rows
            ? (rows.Inputs[..Math.Min(rows.Count, PartRows)], rows.Labels[..Math.Min(rows.Count, PartRows)])
            : Grid(part, min, max);
        if (part.Rows is null && x.Length > 0 && x.Length < LeafPoints * 3 / 4)
        {
            // Only part of the box is valid (changed variables): grid that part instead.
            (x, y) = Grid(part, x.Min(), x.Max());
        }

        if (x.Length < LeafPoints / 4)
        {
            return [];
        }

        LeafSearches++;
        var search = _fullSizeLeaves < _stage.FullSizeLeaves ? _leafSearch : _shorterLeafSearch;
        if (search == _leafSearch)
        {
            _fullSizeLeaves++;
        }

        IReadOnlyList<ShortExpression> found = search.Search(x, y, _stage.Beam, _cancellationToken, regressors);
        if (regressors is null && !(found.Count > 0 && found.Min(f => f.RelativeError) <= LeafExact) && LeafNetworks(part, x, y) is { Count: > 0 } networks)
        {
            found = [.. found, .. networks.Take(LeafNetworkReadings)];
        }

        var structure = new FormulaStructure(FormulaStructureKind.OneVariable, "one variable: " + part.Names[0]);
        return found.Select(f => new PartSolution(f.Expression, f.RelativeError, structure)).ToArray();
    }

    /// <summary>
    /// The part's readings as small KANs: searched once per part (however often it is reached), while the pass has
    /// some of its count left; null when it has none.
    /// </summary>
    private IReadOnlyList<ShortExpression>? LeafNetworks(LawPart part, double[] x, double[] y)
    {
        if (_leafNetworks is null || _cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        if (!_leafNetworkReadings.TryGetValue(part.Key, out var readings) && _leafNetworksThisPass < _stage.LeafNetworks)
        {
            _leafNetworksThisPass++;
            LeafNetworkSearches++;
            readings = _leafNetworks.Search(x, y);
            _leafNetworkReadings[part.Key] = readings;
        }

        return readings;
    }

    /// <summary>One-variable parts tried as small KANs so far.</summary>
    public int LeafNetworkSearches { get; private set; }

    /// <summary>The part's finite values on <see cref="LeafPoints"/> evenly spaced points of [min, max].</summary>
    private static (double[] X, double[] Y) Grid(LawPart part, double min, double max)
    {
        var x = Enumerable.Range(0, LeafPoints).Select(k => min + (max - min) * k / (LeafPoints - 1.0)).ToArray();
        var y = part.Values(x);
        var finite = Enumerable.Range(0, x.Length).Where(k => double.IsFinite(y[k])).ToArray();
        return (finite.Select(k => x[k]).ToArray(), finite.Select(k => y[k]).ToArray());
    }

    /// <summary>A part of several variables: test every split, solve the plausible ones, keep the best readings.</summary>
    private IReadOnlyList<PartSolution> Split(LawPart part, int depth, bool allowTransform)
    {
        var points = part.Points(SamplePoints, _seed);
        if (points.Length < SamplePoints / 2 * part.Arity)
        {
            return [];
        }

        var samples = DerivativeSamples.Evaluate(part.Function, points);
        if (!samples.Values.All(double.IsFinite) || !(samples.ValueSpread > 0.0))
        {
            return [];
        }

        var context = new SplitContext(part, samples, depth);
        var plausible = Proposals(context, allowTransform).Where(p => p.Score < _stage.Threshold).ToList();

        // Splits that need new evaluations are tested only when no plain split is clearly plausible.
        if (!plausible.Any(p => p.Score < 0.3 * _stage.Threshold))
        {
            plausible.AddRange(CostlyProposals(context, allowTransform).Where(p => p.Score < _stage.Threshold));
        }

        var proposals = plausible.OrderBy(p => p.Score).Take(_stage.Alternatives).ToArray();
        var solutions = new List<PartSolution>();
        foreach (var proposal in proposals)
        {
            if (_cancellationToken.IsCancellationRequested)
            {
                break;
            }

            Tried.Add($"{new string(' ', 2 * depth)}{proposal.Description} (score {proposal.Score:0.0e+0})");
            solutions.AddRange(proposal.Solve());
        }

        return Best(solutions);
    }

    private IReadOnlyList<PartSolution> Best(IEnumerable<PartSolution> solutions)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return solutions
            .Where(s => double.IsFinite(s.Error) && seen.Add(s.Expression.ToText()))
            .OrderBy(s => Rank(s))
            .Take(_stage.Beam)
            .ToArray();
    }

    /// <summary>Lower is better: log-error with a small cost per expression node.</summary>
    private static double Rank(PartSolution solution) =>
        Math.Log2(Math.Max(solution.Error, 1e-10)) + SymbolicSimplifier.NodeCount(solution.Expression) / 4.0;

    /// <summary>A split to try: its test score (lower is more plausible), a description and how to solve it.</summary>
    private sealed record Proposal(double Score, string Description, Func<IReadOnlyList<PartSolution>> Solve);

    /// <summary>What the proposals of one part share.</summary>
    private sealed class SplitContext(LawPart part, DerivativeSamples samples, int depth)
    {
        public LawPart Part { get; } = part;

        public DerivativeSamples Samples { get; } = samples;

        public int Depth { get; } = depth;

        public SearchRows Rows { get; } = new(samples.Inputs, samples.Values, part.Arity, 1);

        /// <summary>A sample point where |f| is at least its median, nearest the middle of the box: slices through it are far from zeros.</summary>
        public double[] Anchor()
        {
            int n = Part.Arity;
            double median = DerivativeSamples.Median(Samples.Values.Select(Math.Abs));
            int best = -1;
            double bestDistance = double.PositiveInfinity;
            for (int s = 0; s < Samples.Count; s++)
            {
                if (Math.Abs(Samples.Values[s]) < median)
                {
                    continue;
                }

                double distance = 0.0;
                for (int i = 0; i < n; i++)
                {
                    double middle = 0.5 * (Part.Box[i].Min + Part.Box[i].Max), width = Part.Box[i].Max - Part.Box[i].Min;
                    distance += Math.Pow((Samples.Inputs[s * n + i] - middle) / width, 2);
                }

                if (distance < bestDistance)
                {
                    (best, bestDistance) = (s, distance);
                }
            }

            return Samples.Point(Math.Max(best, 0)).ToArray();
        }

        public string Group(IEnumerable<int> variables) => "{" + string.Join(", ", variables.Select(v => Part.Names[v])) + "}";
    }

    private IEnumerable<Proposal> Proposals(SplitContext context, bool allowTransform)
    {
        var part = context.Part;
        var samples = context.Samples;
        int n = part.Arity;

        // A variable the part does not use is left out first (its slice is the whole part).
        var usage = Enumerable.Range(0, n).Select(i => DerivativeSamples.Median(Enumerable.Range(0, samples.Count)
            .Select(s => Math.Abs(samples.Gradients[s * n + i]) * samples.InputSpread[i] / samples.ValueSpread))).ToArray();
        var used = Enumerable.Range(0, n).Where(i => usage[i] >= UnusedVariable).ToArray();
        if (used.Length < n && used.Length > 0)
        {
            var unused = Enumerable.Range(0, n).Except(used);
            yield return new Proposal(0.0, $"unused: {context.Group(unused)}", () => Unused(context, used));
            yield break;
        }

        var additive = HypothesisScores.Additive(samples);
        var multiplicative = HypothesisScores.Multiplicative(samples, 0.0);
        foreach (var (a, b) in Bipartitions(n))
        {
            double add = HypothesisScores.CrossMaximum(additive, [a, b]);
            yield return new Proposal(add, $"additively separable: {context.Group(a)} + {context.Group(b)}", () => Separate(context, a, b, SplitKind.Additive, 0.0));
            double mul = HypothesisScores.CrossMaximum(multiplicative, [a, b]);
            yield return new Proposal(mul, $"multiplicatively separable: {context.Group(a)} × {context.Group(b)}", () => Separate(context, a, b, SplitKind.Multiplicative, 0.0));
            if (Shift(samples, a, b) is double shift && Math.Abs(shift) > 1e-6 * samples.ValueSpread
                && HypothesisScores.CrossMaximum(HypothesisScores.Multiplicative(samples, -shift), [a, b]) is var shifted && shifted < 0.5 * mul)
            {
                // Only a shift that makes the product clearly better earns a place (c ≈ 0 is the plain product).
                yield return new Proposal(shifted, $"a constant plus a product: c + {context.Group(a)} × {context.Group(b)}", () => Separate(context, a, b, SplitKind.ShiftedProduct, shift));
            }
        }

        // Pairs that enter only as one combination.
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                if (i == j)
                {
                    continue;
                }

                foreach (var combination in PairCombination.All)
                {
                    // a − b and b − a, a + b and b + a, a·b and b·a are one combination each; a/b needs b away from 0.
                    if ((combination.Operator != "/" && j < i) || !combination.Fits(part.Box[j]))
                    {
                        continue;
                    }

                    double score = DerivativeSamples.Median(Enumerable.Range(0, samples.Count).Select(s =>
                        combination.Residual(samples.Inputs[s * n + i], samples.Inputs[s * n + j], samples.Gradients[s * n + i], samples.Gradients[s * n + j])));
                    int first = i, second = j;
                    yield return new Proposal(score, $"depends on {combination.Name(part.Names[i], part.Names[j])}", () => Combine(context, first, second, combination));
                }
            }
        }

        // Splits that appear after an output transform (never two transforms in a row). A transform only earns
        // its place when it reveals a split clearly better than y's own (else sin y ≈ y would pass for y's split).
        if (allowTransform)
        {
            double plain = BestSplit(samples);
            foreach (var transform in PartTransform.All.Where(t => t.Applies(samples.Values)))
            {
                var z = samples.Map(transform.Apply, part.Transformed(transform).Function);
                double best = BestSplit(z);
                if (best < 0.5 * plain)
                {
                    yield return new Proposal(best, $"y = {transform.Outer}(z), z = {transform.Name} separable", () => Outer(context, transform));
                }
            }
        }
    }

    /// <summary>The lowest additive, multiplicative or shifted-product score over every split of the samples' inputs.</summary>
    private static double BestSplit(DerivativeSamples samples)
    {
        var additive = HypothesisScores.Additive(samples);
        var multiplicative = HypothesisScores.Multiplicative(samples, 0.0);
        return Bipartitions(samples.InputCount).Min(p =>
        {
            double best = Math.Min(HypothesisScores.CrossMaximum(additive, [p.A, p.B]), HypothesisScores.CrossMaximum(multiplicative, [p.A, p.B]));
            if (Shift(samples, p.A, p.B) is double shift && Math.Abs(shift) > 1e-6 * samples.ValueSpread)
            {
                best = Math.Min(best, HypothesisScores.CrossMaximum(HypothesisScores.Multiplicative(samples, -shift), [p.A, p.B]));
            }

            return best;
        });
    }

    private enum SplitKind
    {
        Additive,
        Multiplicative,
        ShiftedProduct,
    }

    /// <summary>The part without its unused variables (held at the anchor).</summary>
    private IReadOnlyList<PartSolution> Unused(SplitContext context, int[] used)
    {
        var child = Refreshed(context.Part.Restricted(used, context.Anchor(), "used"));
        var structure = new FormulaStructure(FormulaStructureKind.Unused,
            $"does not depend on {context.Group(Enumerable.Range(0, context.Part.Arity).Except(used))}");
        return Solve(child, context.Depth, allowTransform: true)
            .Select(s => new PartSolution(Map(s.Expression, used), s.Error, new FormulaStructure(structure.Kind, structure.Description, [s.Structure])))
            .ToArray();
    }

    /// <summary>
    /// g(x_A) ∘ h(x_B) read through the anchor x⁰: additive f = f(x_A, x⁰_B) + [f(x⁰_A, x_B) − f(x⁰)], multiplicative
    /// f = f(x_A, x⁰_B)·[f(x⁰_A, x_B)/f(x⁰)], and with a shift c the same on f − c.
    /// </summary>
    private IReadOnlyList<PartSolution> Separate(SplitContext context, int[] a, int[] b, SplitKind kind, double shift)
    {
        var part = context.Part;
        var anchor = context.Anchor();
        double f0 = part.Function.Evaluate(anchor);
        string tag = kind switch { SplitKind.Additive => "add", SplitKind.Multiplicative => "mul", _ => "shift" } + string.Concat(a);
        LawPart first, second;
        if (kind == SplitKind.Additive)
        {
            first = part.Slice(a, anchor, 0.0, 1.0, tag + "A");
            second = part.Slice(b, anchor, f0, 1.0, tag + "B");
        }
        else
        {
            double scale = f0 - shift;
            if (!(Math.Abs(scale) > 1e-12 * context.Samples.ValueSpread))
            {
                return [];
            }

            first = part.Slice(a, anchor, shift, 1.0, tag + "A");
            second = part.Slice(b, anchor, shift, scale, tag + "B");
        }

        var left = Solve(first, context.Depth + 1, allowTransform: true);
        var right = left.Count == 0 ? [] : Solve(second, context.Depth + 1, allowTransform: true);
        var (structureKind, description) = kind switch
        {
            SplitKind.Additive => (FormulaStructureKind.Additive, $"additively separable: {context.Group(a)} + {context.Group(b)}"),
            SplitKind.Multiplicative => (FormulaStructureKind.Multiplicative, $"multiplicatively separable: {context.Group(a)} × {context.Group(b)}"),
            _ => (FormulaStructureKind.ShiftedProduct, $"a constant plus a product: c + {context.Group(a)} × {context.Group(b)}"),
        };

        var combined = new List<PartSolution>();
        foreach (var (g, h) in Pairs(left, right))
        {
            var ga = Map(g.Expression, a);
            var hb = Map(h.Expression, b);
            var expression = kind switch
            {
                SplitKind.Additive => SymbolicExpression.Add(ga, hb),
                SplitKind.Multiplicative => SymbolicExpression.Multiply(ga, hb),
                _ => SymbolicExpression.Add(SymbolicExpression.Constant(shift), SymbolicExpression.Multiply(ga, hb)),
            };
            if (Refit(expression, context) is { } solution)
            {
                combined.Add(solution with { Structure = new FormulaStructure(structureKind, description, [g.Structure, h.Structure]) });
            }
        }

        return combined;
    }

    /// <summary>F(u, rest) with u = x_i ∘ x_j as one variable; u is then written back in terms of x_i and x_j.</summary>
    private IReadOnlyList<PartSolution> Combine(SplitContext context, int i, int j, PairCombination combination)
    {
        var part = context.Part;
        int n = part.Arity;
        var rest = Enumerable.Range(0, n).Where(v => v != i && v != j).ToArray();
        var child = Refreshed(part.Combined(i, j, combination));
        var u = combination.Expression(SymbolicExpression.Variable(i), SymbolicExpression.Variable(j));
        string description = $"depends on {combination.Name(part.Names[i], part.Names[j])}" + (rest.Length == 0 ? " only" : $" and {context.Group(rest)}");
        var solutions = new List<PartSolution>();
        foreach (var s in Solve(child, context.Depth + 1, allowTransform: true))
        {
            var expression = ExpressionRewriter.ReplaceVariables(s.Expression, v => v == 0 ? u : SymbolicExpression.Variable(rest[v - 1]));
            if (Refit(expression, context) is { } solution)
            {
                solutions.Add(solution with { Structure = new FormulaStructure(FormulaStructureKind.Combination, description, [s.Structure]) });
            }
        }

        return solutions;
    }

    /// <summary>y = F(z): the transformed part solved (without a second transform), then inverted.</summary>
    private IReadOnlyList<PartSolution> Outer(SplitContext context, PartTransform transform)
    {
        var child = context.Part.Transformed(transform);
        var solutions = new List<PartSolution>();
        foreach (var s in Solve(child, context.Depth + 1, allowTransform: false))
        {
            if (Refit(transform.Inverse(s.Expression), context) is { } solution)
            {
                solutions.Add(solution with { Structure = new FormulaStructure(FormulaStructureKind.OuterFunction, $"y = {transform.Outer}(z) with z = {transform.Name}", [s.Structure]) });
            }
        }

        return solutions;
    }

    /// <summary>
    /// Splits whose tests need new evaluations: f = p(x_A) + q(x_A)·r(x_B), seen as the product
    /// f(x) − f(x_A, x⁰_B) = q(x_A)·(r(x_B) − r(x⁰_B)); and separability in changed variables (x_i replaced by
    /// x_i ∘ x_j, e.g. g(a/b)·h(b)).
    /// </summary>
    private IEnumerable<Proposal> CostlyProposals(SplitContext context, bool allowTransform)
    {
        var part = context.Part;
        int n = part.Arity;
        var anchor = context.Anchor();
        double bestPartial = double.PositiveInfinity;
        foreach (var (a, b, score, samples) in PartialScores(part, anchor))
        {
            bestPartial = Math.Min(bestPartial, score);
            yield return new Proposal(score, $"partly separable: p{context.Group(a)} + q{context.Group(a)}·r{context.Group(b)}", () => Partial(context, a, b, anchor, samples));
        }

        // Both groups with terms of their own besides the cross product (a + b + 2·sqrt(a·b)·cos c over {a, b}):
        // it only earns its place when it is clearly better than the partly separable reading it generalises.
        foreach (var (a, b) in Bipartitions(n))
        {
            var mixed = part.MixedDifference(a, b, anchor, "mixed" + string.Concat(a));
            var points = mixed.Points(SamplePoints, _seed);
            if (points.Length < SamplePoints / 2 * n)
            {
                continue;
            }

            var samples = DerivativeSamples.Evaluate(mixed.Function, points);
            if (samples.Values.All(double.IsFinite)
                && HypothesisScores.CrossMaximum(HypothesisScores.Multiplicative(samples, 0.0), [a, b]) is var score && score < 0.5 * bestPartial)
            {
                yield return new Proposal(score, SumWithProductName(context, a, b), () => SumWithProduct(context, a, b, anchor, samples));
            }
        }

        // The same after an output transform: 1 + a² − 2a·cos(u) is partly separable, its square root is not.
        if (allowTransform)
        {
            foreach (var transform in PartTransform.All.Where(t => t.Applies(context.Samples.Values)))
            {
                var scores = PartialScores(part.Transformed(transform), anchor).ToArray();
                if (scores.Length > 0 && scores.MinBy(s => s.Score) is var best && best.Score < 0.5 * bestPartial)
                {
                    yield return new Proposal(best.Score, $"y = {transform.Outer}(z), z = {transform.Name} partly separable", () => Outer(context, transform));
                }
            }
        }

        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                if (i == j)
                {
                    continue;
                }

                foreach (var combination in PairCombination.All.Where(c => c.Fits(part.Box[j])))
                {
                    var rewritten = part.Rewritten(i, j, combination);
                    var points = rewritten.Points(SamplePoints, _seed);
                    if (points.Length < SamplePoints / 2 * n)
                    {
                        continue;
                    }

                    var samples = DerivativeSamples.Evaluate(rewritten.Function, points);
                    if (!samples.Values.All(double.IsFinite) || !(samples.ValueSpread > 0.0))
                    {
                        continue;
                    }

                    // The new variable must separate from its partner: that is what the change of variables is for.
                    var additive = HypothesisScores.Additive(samples);
                    var multiplicative = HypothesisScores.Multiplicative(samples, 0.0);
                    double score = Bipartitions(n).Where(p => p.A.Contains(i) != p.A.Contains(j))
                        .Min(p => Math.Min(HypothesisScores.CrossMaximum(additive, [p.A, p.B]), HypothesisScores.CrossMaximum(multiplicative, [p.A, p.B])));
                    var (ci, cj, cc) = (i, j, combination);
                    yield return new Proposal(score, $"separable in {rewritten.Names[i]} and {context.Group(Enumerable.Range(0, n).Where(v => v != i))}", () => ChangeVariables(context, ci, cj, cc, rewritten));
                }
            }
        }
    }

    /// <summary>
    /// For every split A | B of the part's variables, both ways round, how far f(x) − f(x_A, x⁰_B) is from a product
    /// (its multiplicative cross score), with the samples it was read from.
    /// </summary>
    private IEnumerable<(int[] A, int[] B, double Score, DerivativeSamples Samples)> PartialScores(LawPart part, double[] anchor)
    {
        int n = part.Arity;
        foreach (var (first, second) in Bipartitions(n))
        {
            foreach (var (a, b) in new[] { (first, second), (second, first) })
            {
                var difference = part.Differenced(b, anchor, "diff" + string.Concat(b));
                var points = difference.Points(SamplePoints, _seed);
                if (points.Length < SamplePoints / 2 * n)
                {
                    continue;
                }

                var samples = DerivativeSamples.Evaluate(difference.Function, points);
                if (samples.Values.All(double.IsFinite))
                {
                    yield return (a, b, HypothesisScores.CrossMaximum(HypothesisScores.Multiplicative(samples, 0.0), [a, b]), samples);
                }
            }
        }
    }

    /// <summary>
    /// f = p(x_A) + q(x_A)·r(x_B), read through two points x⁰ (the anchor) and x¹ (where the difference is largest):
    /// q ∝ f(x_A, x¹_B) − f(x_A, x⁰_B), r ∝ f(x¹_A, x_B) − f(x¹_A, x⁰_B), and p = f(x_A, x⁰_B), which is defined
    /// only up to a multiple of q (the leaf search may add one).
    /// </summary>
    private IReadOnlyList<PartSolution> Partial(SplitContext context, int[] a, int[] b, double[] anchor, DerivativeSamples difference)
    {
        var part = context.Part;
        int n = part.Arity;
        int far = Enumerable.Range(0, difference.Count).MaxBy(s => Math.Abs(difference.Values[s]));
        var other = difference.Point(far).ToArray();
        var mixed = (double[])other.Clone();
        foreach (int v in b)
        {
            mixed[v] = anchor[v];
        }

        double base0 = part.Function.Evaluate(mixed);
        double scale = difference.Values[far];
        string tag = "partial" + string.Concat(a);
        var q = part.SliceDifference(a, anchor, other, tag + "Q");
        var r = part.Slice(b, other, base0, scale, tag + "R");
        var p = part.Slice(a, anchor, 0.0, 1.0, tag + "P");
        var qs = Solve(q, context.Depth + 1, allowTransform: true);
        var rs = qs.Count == 0 ? [] : Solve(r, context.Depth + 1, allowTransform: true);
        if (rs.Count == 0)
        {
            return [];
        }

        var ps = a.Length == 1 && Cached(p.Key + "|q:" + qs[0].Expression.ToText(), () => Leaf(p, [qs[0].Expression])) is { Count: > 0 } withQ
            ? withQ
            : Solve(p, context.Depth + 1, allowTransform: true);
        string description = $"partly separable: p{context.Group(a)} + q{context.Group(a)}·r{context.Group(b)}";
        var solutions = new List<PartSolution>();
        foreach (var (pp, qq, rr) in Triples(ps, qs, rs))
        {
            var expression = SymbolicExpression.Add(Map(pp.Expression, a), SymbolicExpression.Multiply(Map(qq.Expression, a), Map(rr.Expression, b)));
            if (Refit(expression, context) is { } solution)
            {
                solutions.Add(solution with { Structure = new FormulaStructure(FormulaStructureKind.PartlySeparable, description, [pp.Structure, qq.Structure, rr.Structure]) });
            }
        }

        return solutions;
    }

    private static string SumWithProductName(SplitContext context, int[] a, int[] b) =>
        $"a sum with one product: p{context.Group(a)} + s{context.Group(b)} + q{context.Group(a)}·r{context.Group(b)}";

    /// <summary>
    /// f = p(x_A) + s(x_B) + q(x_A)·r(x_B), read through the anchor x⁰ and the point x¹ where the mixed difference is
    /// largest: p = f(x_A, x⁰_B), s = f(x⁰_A, x_B), q ∝ f(x_A, x¹_B) − f(x_A, x⁰_B) and r ∝ f(x¹_A, x_B) − f(x⁰_A, x_B),
    /// each up to a constant and p (s) up to a multiple of q (r), which the leaf search and the refit absorb.
    /// </summary>
    private IReadOnlyList<PartSolution> SumWithProduct(SplitContext context, int[] a, int[] b, double[] anchor, DerivativeSamples mixed)
    {
        var part = context.Part;
        int far = Enumerable.Range(0, mixed.Count).MaxBy(s => Math.Abs(mixed.Values[s]));
        var other = mixed.Point(far).ToArray();
        string tag = "sum" + string.Concat(a);
        var qs = Solve(part.SliceDifference(a, anchor, other, tag + "Q"), context.Depth + 1, allowTransform: true);
        var rs = qs.Count == 0 ? [] : Solve(part.SliceDifference(b, anchor, other, tag + "R"), context.Depth + 1, allowTransform: true);
        if (rs.Count == 0)
        {
            return [];
        }

        var ps = Own(part.Slice(a, anchor, 0.0, 1.0, tag + "P"), a, qs[0]);
        var ss = ps.Count == 0 ? [] : Own(part.Slice(b, anchor, 0.0, 1.0, tag + "S"), b, rs[0]);
        string description = SumWithProductName(context, a, b);
        var solutions = new List<PartSolution>();
        foreach (var (pp, qq, rr) in Triples(ps, qs, rs))
        {
            foreach (var sp in ss.Take(2))
            {
                var expression = SymbolicExpression.Add(Map(pp.Expression, a), Map(sp.Expression, b), SymbolicExpression.Multiply(Map(qq.Expression, a), Map(rr.Expression, b)));
                if (Refit(expression, context) is { } solution)
                {
                    solutions.Add(solution with { Structure = new FormulaStructure(FormulaStructureKind.SumWithProduct, description, [pp.Structure, sp.Structure, qq.Structure, rr.Structure]) });
                }
            }
        }

        return solutions;

        // A group's own term: a one-variable one may contain its cross factor with any weight.
        IReadOnlyList<PartSolution> Own(LawPart own, int[] group, PartSolution factor) =>
            group.Length == 1 && Cached(own.Key + "|q:" + factor.Expression.ToText(), () => Leaf(own, [factor.Expression])) is { Count: > 0 } withFactor
                ? withFactor
                : Solve(own, context.Depth + 1, allowTransform: true);
    }

    /// <summary>The part in changed variables (x_i replaced by x_i ∘ x_j), solved, then written back.</summary>
    private IReadOnlyList<PartSolution> ChangeVariables(SplitContext context, int i, int j, PairCombination combination, LawPart rewritten)
    {
        var u = combination.Expression(SymbolicExpression.Variable(i), SymbolicExpression.Variable(j));
        string description = $"separable in {rewritten.Names[i]} and the other variables";
        var solutions = new List<PartSolution>();
        foreach (var s in Solve(rewritten, context.Depth + 1, allowTransform: true))
        {
            var expression = ExpressionRewriter.ReplaceVariables(s.Expression, v => v == i ? u : SymbolicExpression.Variable(v));
            if (Refit(expression, context) is { } solution)
            {
                solutions.Add(solution with { Structure = new FormulaStructure(FormulaStructureKind.Combination, description, [s.Structure]) });
            }
        }

        return solutions;
    }

    private IReadOnlyList<PartSolution> Cached(string key, Func<IReadOnlyList<PartSolution>> solve)
    {
        key += "|" + _stage;
        if (!_cache.TryGetValue(key, out var result))
        {
            result = solve();
            _cache[key] = result;
        }

        return result;
    }

    /// <summary>Pairs of readings, best combinations (by rank sum) first, at most Beam + 2 of them.</summary>
    private IEnumerable<(PartSolution Left, PartSolution Right)> Pairs(IReadOnlyList<PartSolution> left, IReadOnlyList<PartSolution> right) =>
        left.SelectMany((l, p) => right.Select((r, q) => (Left: l, Right: r, Rank: p + q, P: p)))
            .OrderBy(t => t.Rank)
            .ThenBy(t => t.P)
            .Take(_stage.Beam + 2)
            .Select(t => (t.Left, t.Right));

    /// <summary>Triples of readings, best combinations (by rank sum) first, at most Beam + 2 of them.</summary>
    private IEnumerable<(PartSolution First, PartSolution Second, PartSolution Third)> Triples(IReadOnlyList<PartSolution> first, IReadOnlyList<PartSolution> second, IReadOnlyList<PartSolution> third) =>
        first.SelectMany((f, p) => second.SelectMany((g, q) => third.Select((h, r) => (F: f, G: g, H: h, Rank: p + q + r, P: p, Q: q))))
            .OrderBy(t => t.Rank)
            .ThenBy(t => t.P)
            .ThenBy(t => t.Q)
            .Take(_stage.Beam + 2)
            .Select(t => (t.F, t.G, t.H));

    /// <summary>The combined reading with every constant refitted on the part's samples; null when it is not finite there.</summary>
    private static PartSolution? Refit(SymbolicExpression expression, SplitContext context)
    {
        var simplified = expression.Simplify();
        var refit = FormulaRefit.Refit(simplified, 0, context.Rows) ?? simplified;
        double error = FormulaRefit.Rmse(refit, 0, context.Rows) / context.Samples.ValueSpread;
        return double.IsFinite(error) ? new PartSolution(refit, error, null!) : null;
    }

    /// <summary>The expression with its variable k renamed to variables[k].</summary>
    private static SymbolicExpression Map(SymbolicExpression expression, int[] variables) =>
        ExpressionRewriter.ReplaceVariables(expression, v => SymbolicExpression.Variable(variables[v]));

    /// <summary>Every split of n variables into two non-empty groups, the first holding variable 0.</summary>
    private static IEnumerable<(int[] A, int[] B)> Bipartitions(int n)
    {
        for (int mask = 1; mask < (1 << n) - 1; mask++)
        {
            if ((mask & 1) == 0)
            {
                continue;
            }

            yield return (Enumerable.Range(0, n).Where(i => (mask >> i & 1) == 1).ToArray(), Enumerable.Range(0, n).Where(i => (mask >> i & 1) == 0).ToArray());
        }
    }

    /// <summary>
    /// The constant c with f − c = g(x_A)·h(x_B), read from the derivatives: then (f − c)·f_ij = f_i·f_j for i ∈ A,
    /// j ∈ B, so c = f − f_i·f_j/f_ij at every point; the median over points and pairs (null without a cross term).
    /// </summary>
    private static double? Shift(DerivativeSamples samples, int[] a, int[] b)
    {
        int n = samples.InputCount;
        var estimates = new List<double>();
        for (int s = 0; s < samples.Count; s++)
        {
            var g = samples.Gradient(s);
            foreach (int i in a)
            {
                foreach (int j in b)
                {
                    double h = samples.Hessian(s, i, j);
                    if (Math.Abs(h) * samples.InputSpread[i] * samples.InputSpread[j] > 1e-3 * samples.ValueSpread)
                    {
                        estimates.Add(samples.Values[s] - g[i] * g[j] / h);
                    }
                }
            }
        }

        return estimates.Count < samples.Count / 4 ? null : DerivativeSamples.Median(estimates);
    }
}
