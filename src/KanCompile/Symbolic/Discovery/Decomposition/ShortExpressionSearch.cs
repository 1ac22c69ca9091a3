using KanCompile.Symbolic.Expressions;

namespace KanCompile.Symbolic.Discovery;

/// <summary>One reading of a one-variable function: c₀ + c₁·E(x) with its constants fitted, and how well it fits.</summary>
/// <param name="Expression">The fitted expression over variable 0.</param>
/// <param name="RelativeError">RMS error over the samples divided by the samples' standard deviation.</param>
/// <param name="Size">Nodes of E as enumerated (leaves and operations): what "short" means.</param>
internal sealed record ShortExpression(SymbolicExpression Expression, double RelativeError, int Size);

/// <summary>
/// The exhaustive search of one-variable parts (issue 18 item 2, as AI Feynman's brute force): every expression
/// E(x) up to <see cref="MaxSize"/> nodes over x, the constants 1, 2 and 3, negation, the four arithmetic operations
/// and the given functions is enumerated bottom-up; expressions that agree on the sample points are kept once
/// (observational equivalence: x·2 and x + x, sqrt(x²) and |x| on positive x), and every one is scored by how well
/// c₀ + c₁·E fits the samples (a linear least-squares fit, so the outer scale and shift cost nothing). The best few
/// are then refitted with all their constants free (a 3 may become 2.7) on every sample. Expressions that are not
/// finite at some sample are dropped: that is how domains (log, sqrt, asin) prune the search. Nothing here knows a
/// target; the grammar is the same for every problem.
/// </summary>
internal sealed class ShortExpressionSearch
{
    /// <summary>Sample points the enumeration evaluates every expression at.</summary>
    private const int Points = 40;

    /// <summary>Values beyond this magnitude count as blown up (an expression near a singularity).</summary>
    private const double Huge = 1e12;

    /// <summary>Kept per size for the refit (distinct up to an affine map).</summary>
    private const int KeptPerSize = 6;

    /// <summary>Stored sub-expressions at most: bounds memory and time on wide libraries.</summary>
    private const int MaxStored = 400_000;

    private static readonly double[] Constants = [1.0, 2.0, 3.0];

    private readonly SymbolicFunction[] _functions;

    public ShortExpressionSearch(IEnumerable<SymbolicFunction> functions, int maxSize)
    {
        _functions = functions.ToArray();
        MaxSize = maxSize;
    }

    /// <summary>Largest expression enumerated, in nodes.</summary>
    public int MaxSize { get; }

    private enum Kind : byte
    {
        Variable,
        Constant,
        Function,
        Negate,
        Add,
        Subtract,
        Multiply,
        Divide,
    }

    private readonly record struct Node(Kind Kind, int Left, int Right, int Size, bool IsConstant, double Value);

    /// <summary>
    /// The best readings of y(x), best first: ranked by relative error with a penalty per node (a longer expression
    /// must fit clearly better to come first), the best few refitted with every constant free on all samples.
    /// <paramref name="regressors"/> are known functions of x the reading may add with any weight (a part defined
    /// only up to a multiple of another part's reading): y ≈ c₀ + c₁·E + Σ w_k·r_k.
    /// </summary>
    public IReadOnlyList<ShortExpression> Search(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int count, CancellationToken cancellationToken = default, IReadOnlyList<SymbolicExpression>? regressors = null)
    {
        if (x.Length != y.Length || x.Length < 4)
        {
            return [];
        }

        regressors ??= [];
        var rows = new SearchRows(x.ToArray(), y.ToArray(), 1, 1);
        var regressorValues = regressors.Select(r => Enumerable.Range(0, rows.Count).Select(s => r.Evaluate(rows.Row(s))).ToArray()).ToArray();
        if (regressorValues.Any(v => !v.All(double.IsFinite)))
        {
            (regressors, regressorValues) = ([], []);
        }

        double spread = rows.LabelSpread();
        if (!(spread > 0.0))
        {
            return [new ShortExpression(SymbolicExpression.Constant(y[0]), 0.0, 0)];
        }

        var picks = Subsample(rows.Inputs);
        var xs = rows.Inputs;
        var ys = rows.Labels;
        var kept = Enumerate(picks.Select(k => xs[k]).ToArray(), picks.Select(k => ys[k]).ToArray(),
            regressorValues.Select(v => picks.Select(k => v[k]).ToArray()).ToArray(), cancellationToken);
        var results = new List<ShortExpression>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (node, size, _) in kept.OrderBy(k => Score(k.Error, k.Size)).ThenBy(k => k.Size).Take(count + Refitted))
        {
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            var body = Build(node);
            if (LinearStart(body, rows, regressors, regressorValues) is not { } linear)
            {
                continue;
            }

            var fitted = FormulaRefit.Refit(linear, 0, rows) ?? linear;
            double error = FormulaRefit.Rmse(fitted, 0, rows) / spread;
            if (double.IsFinite(error) && seen.Add(fitted.ToText()))
            {
                results.Add(new ShortExpression(fitted, error, size));
            }
        }

        return results
            .OrderBy(r => Score(r.RelativeError, r.Size))
            .ThenBy(r => r.Size)
            .Take(count)
            .ToArray();
    }

    /// <summary>Readings refitted beyond those asked for (the enumeration's ranking is on fewer points).</summary>
    private const int Refitted = 6;

    /// <summary>Ranking: log-error plus a cost per node (each extra node must halve the error).</summary>
    public static double Score(double relativeError, int size) => Math.Log2(Math.Max(relativeError, 1e-14)) + size;

    private List<Node> _nodes = [];
    private double[] _values = [];

    /// <summary>The enumeration: every distinct expression up to <see cref="MaxSize"/>, scored; returns the kept ones.</summary>
    private List<(int Node, int Size, double Error)> Enumerate(double[] x, double[] y, double[][] regressors, CancellationToken cancellationToken)
    {
        int m = x.Length;
        _nodes = [];
        _values = new double[1024 * m];
        var seen = new HashSet<Key>();
        var affineSeen = new HashSet<Key>();
        var bySize = new List<int>[MaxSize + 1];
        for (int s = 0; s <= MaxSize; s++)
        {
            bySize[s] = [];
        }

        var best = new List<(double Error, int Node)>[MaxSize + 1];
        for (int s = 0; s <= MaxSize; s++)
        {
            best[s] = [];
        }

        var scorer = new Projection(y, regressors);
        var scratch = new double[m];

        // Leaves.
        x.CopyTo(scratch, 0);
        Offer(new Node(Kind.Variable, -1, -1, 1, false, 0.0), true);
        foreach (double c in Constants)
        {
            bySize[1].Add(Add(new Node(Kind.Constant, -1, -1, 1, true, c), Enumerable.Repeat(c, m).ToArray()));
        }

        for (int size = 2; size <= MaxSize && !cancellationToken.IsCancellationRequested; size++)
        {
            bool store = size < MaxSize && _nodes.Count < MaxStored;

            // Unary: a function or negation of an expression one node smaller.
            foreach (int child in bySize[size - 1].ToArray())
            {
                if (_nodes[child].IsConstant)
                {
                    continue;
                }

                var values = Values(child);
                for (int f = 0; f < _functions.Length; f++)
                {
                    var function = _functions[f];
                    for (int k = 0; k < m; k++)
                    {
                        scratch[k] = function.Evaluate(values[k]);
                    }

                    Offer(new Node(Kind.Function, child, f, size, false, 0.0), store);
                }

                for (int k = 0; k < m; k++)
                {
                    scratch[k] = -values[k];
                }

                Offer(new Node(Kind.Negate, child, -1, size, false, 0.0), store);
            }

            // Binary: two expressions whose sizes add up to size − 1.
            for (int leftSize = 1; leftSize <= size - 2 && !cancellationToken.IsCancellationRequested; leftSize++)
            {
                int rightSize = size - 1 - leftSize;
                foreach (int left in bySize[leftSize].ToArray())
                {
                    foreach (int right in bySize[rightSize].ToArray())
                    {
                        bool constants = _nodes[left].IsConstant && _nodes[right].IsConstant;
                        if (constants)
                        {
                            continue;
                        }

                        var a = Values(left);
                        var b = Values(right);

                        // Commutative operations once per unordered pair.
                        if (leftSize < rightSize || (leftSize == rightSize && left <= right))
                        {
                            for (int k = 0; k < m; k++)
                            {
                                scratch[k] = a[k] + b[k];
                            }

                            Offer(new Node(Kind.Add, left, right, size, false, 0.0), store);
                            for (int k = 0; k < m; k++)
                            {
                                scratch[k] = a[k] * b[k];
                            }

                            Offer(new Node(Kind.Multiply, left, right, size, false, 0.0), store);
                        }

                        for (int k = 0; k < m; k++)
                        {
                            scratch[k] = a[k] - b[k];
                        }

                        Offer(new Node(Kind.Subtract, left, right, size, false, 0.0), store);
                        for (int k = 0; k < m; k++)
                        {
                            scratch[k] = a[k] / b[k];
                        }

                        Offer(new Node(Kind.Divide, left, right, size, false, 0.0), store);
                    }
                }
            }
        }

        var kept = new List<(int, int, double)>();
        for (int s = 1; s <= MaxSize; s++)
        {
            kept.AddRange(best[s].OrderBy(b => b.Error).Select(b => (b.Node, s, b.Error)));
        }

        return kept;

        void Offer(Node node, bool keep)
        {
            // Finite and not blown up everywhere, and not a constant function.
            double first = scratch[0];
            bool varies = false;
            for (int k = 0; k < m; k++)
            {
                double v = scratch[k];
                if (!double.IsFinite(v) || Math.Abs(v) > Huge)
                {
                    return;
                }

                varies |= v != first;
            }

            // Stored sub-expressions are kept once per value vector; the largest size is only scored.
            if (!varies || (keep && !seen.Add(Key.Of(scratch))))
            {
                return;
            }

            double error = scorer.RelativeError(scratch);
            var list = best[node.Size];
            int index = keep ? Add(node, scratch) : -1;
            if ((list.Count < KeptPerSize || error < list[^1].Error) && affineSeen.Add(Key.OfStandardized(scratch)))
            {
                // Expressions kept for the refit must stay buildable: their children are stored nodes.
                if (index < 0)
                {
                    index = Add(node, null);
                }

                list.Add((error, index));
                list.Sort((p, q) => p.Error.CompareTo(q.Error));
                if (list.Count > KeptPerSize)
                {
                    list.RemoveAt(list.Count - 1);
                }
            }

            if (keep)
            {
                bySize[node.Size].Add(index);
            }
        }
    }

    /// <summary>Appends a node (and its values when they are stored); returns its index.</summary>
    private int Add(Node node, double[]? values)
    {
        int index = _nodes.Count;
        _nodes.Add(node);
        if (values is not null)
        {
            int m = values.Length;
            if ((index + 1) * m > _values.Length)
            {
                Array.Resize(ref _values, Math.Max(_values.Length * 2, (index + 1) * m));
            }

            values.CopyTo(_values, index * m);
        }

        return index;
    }

    private ReadOnlySpan<double> Values(int node) => _values.AsSpan(node * Points, Points);

    /// <summary>
    /// Scores a candidate by the residual of the best fit y ≈ c₀ + c₁·v + Σ w_k·r_k relative to ‖y − ȳ‖: y and v are
    /// projected off an orthonormal basis of [1, r₁, …] once, so each candidate costs a few dot products.
    /// </summary>
    private sealed class Projection
    {
        private readonly List<double[]> _basis = [];
        private readonly double[] _residual;
        private readonly double _norm;
        private readonly double[] _scratch;

        public Projection(double[] y, double[][] regressors)
        {
            int m = y.Length;
            _scratch = new double[m];
            foreach (var column in new[] { Enumerable.Repeat(1.0, m).ToArray() }.Concat(regressors))
            {
                var v = (double[])column.Clone();
                Remove(v);
                double length = Math.Sqrt(Dot(v, v));
                if (length > 1e-9 * Math.Sqrt(Dot(column, column)))
                {
                    _basis.Add(v.Select(e => e / length).ToArray());
                }
            }

            double mean = y.Average();
            _norm = Math.Sqrt(y.Sum(v => (v - mean) * (v - mean)));
            _residual = (double[])y.Clone();
            Remove(_residual);
        }

        public double RelativeError(double[] candidate)
        {
            if (!(_norm > 0.0))
            {
                return 1.0;
            }

            candidate.CopyTo(_scratch, 0);
            Remove(_scratch);
            double vv = Dot(_scratch, _scratch), vy = Dot(_scratch, _residual), yy = Dot(_residual, _residual);
            double left = vv > 0.0 ? Math.Max(0.0, yy - vy * vy / vv) : yy;
            return Math.Sqrt(left) / _norm;
        }

        private void Remove(double[] v)
        {
            foreach (var q in _basis)
            {
                double c = Dot(q, v);
                for (int k = 0; k < v.Length; k++)
                {
                    v[k] -= c * q[k];
                }
            }
        }

        private static double Dot(double[] a, double[] b)
        {
            double sum = 0.0;
            for (int k = 0; k < a.Length; k++)
            {
                sum += a[k] * b[k];
            }

            return sum;
        }
    }

    /// <summary>
    /// c₀ + c₁·body + Σ w_k·r_k with the weights from linear least squares on the rows (the normal equations, solved by
    /// Cholesky); null when body is not finite on some row or the fit is singular.
    /// </summary>
    private static SymbolicExpression? LinearStart(SymbolicExpression body, SearchRows rows, IReadOnlyList<SymbolicExpression> regressors, double[][] regressorValues)
    {
        int n = rows.Count, p = 2 + regressors.Count;
        var columns = new double[p][];
        columns[0] = Enumerable.Repeat(1.0, n).ToArray();
        columns[1] = new double[n];
        for (int s = 0; s < n; s++)
        {
            columns[1][s] = body.Evaluate(rows.Row(s));
            if (!double.IsFinite(columns[1][s]))
            {
                return null;
            }
        }

        for (int k = 0; k < regressors.Count; k++)
        {
            columns[2 + k] = regressorValues[k];
        }

        var normal = new double[p, p];
        var right = new double[p];
        for (int a = 0; a < p; a++)
        {
            for (int b = 0; b < p; b++)
            {
                normal[a, b] = columns[a].Zip(columns[b], (u, v) => u * v).Sum();
            }

            right[a] = columns[a].Zip(rows.Labels, (u, v) => u * v).Sum();
            normal[a, a] *= 1.0 + 1e-12;
        }

        var weights = SolveSymmetric(normal, right);
        if (weights is null || !weights.All(double.IsFinite))
        {
            return null;
        }

        var terms = new List<SymbolicExpression> { SymbolicExpression.Multiply(SymbolicExpression.Constant(weights[1]), body) };
        terms.AddRange(regressors.Select((r, k) => SymbolicExpression.Multiply(SymbolicExpression.Constant(weights[2 + k]), r)));
        terms.Add(SymbolicExpression.Constant(weights[0]));
        return SymbolicExpression.Add(terms);
    }

    /// <summary>Solves a small symmetric positive definite system by Cholesky; null when it is not positive definite.</summary>
    private static double[]? SolveSymmetric(double[,] a, double[] b)
    {
        int p = b.Length;
        var l = new double[p, p];
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double sum = a[i, j];
                for (int k = 0; k < j; k++)
                {
                    sum -= l[i, k] * l[j, k];
                }

                if (i == j)
                {
                    if (!(sum > 0.0))
                    {
                        return null;
                    }

                    l[i, i] = Math.Sqrt(sum);
                }
                else
                {
                    l[i, j] = sum / l[j, j];
                }
            }
        }

        var y = new double[p];
        for (int i = 0; i < p; i++)
        {
            double sum = b[i];
            for (int k = 0; k < i; k++)
            {
                sum -= l[i, k] * y[k];
            }

            y[i] = sum / l[i, i];
        }

        var x = new double[p];
        for (int i = p - 1; i >= 0; i--)
        {
            double sum = y[i];
            for (int k = i + 1; k < p; k++)
            {
                sum -= l[k, i] * x[k];
            }

            x[i] = sum / l[i, i];
        }

        return x;
    }

    /// <summary>The expression a node stands for, over variable 0.</summary>
    private SymbolicExpression Build(int index)
    {
        var node = _nodes[index];
        return node.Kind switch
        {
            Kind.Variable => SymbolicExpression.Variable(0),
            Kind.Constant => SymbolicExpression.Constant(node.Value),
            Kind.Function => _functions[node.Right].Apply(Build(node.Left)),
            Kind.Negate => SymbolicExpression.Multiply(SymbolicExpression.Constant(-1.0), Build(node.Left)),
            Kind.Add => SymbolicExpression.Add(Build(node.Left), Build(node.Right)),
            Kind.Subtract => SymbolicExpression.Add(Build(node.Left), SymbolicExpression.Multiply(SymbolicExpression.Constant(-1.0), Build(node.Right))),
            Kind.Multiply => SymbolicExpression.Multiply(Build(node.Left), Build(node.Right)),
            Kind.Divide => SymbolicExpression.Multiply(Build(node.Left), SymbolicExpression.Power(Build(node.Right), -1.0)),
            _ => throw new InvalidOperationException($"Unknown node kind {node.Kind}."),
        };
    }

    /// <summary>Indices of <see cref="Points"/> samples evenly spread over the sorted x (repeated when there are fewer).</summary>
    private static int[] Subsample(double[] x)
    {
        var order = Enumerable.Range(0, x.Length).ToArray();
        var keys = (double[])x.Clone();
        Array.Sort(keys, order);
        return Enumerable.Range(0, Points).Select(k => order[(int)Math.Round(k * (x.Length - 1) / (double)(Points - 1))]).ToArray();
    }

    /// <summary>A value vector quantised to about 10 significant digits, so last-bit differences compare equal.</summary>
    private readonly struct Key : IEquatable<Key>
    {
        private readonly long _hash;
        private readonly long _check;

        private Key(long hash, long check)
        {
            _hash = hash;
            _check = check;
        }

        public static Key Of(ReadOnlySpan<double> values)
        {
            long hash = 17, check = 31;
            foreach (double v in values)
            {
                long q = Quantize(v);
                hash = unchecked(hash * 1_000_003 + q);
                check = unchecked((check ^ q) * 0x100000001B3);
            }

            return new Key(hash, check);
        }

        /// <summary>The key of (v − mean)/std with the sign of the first deviation made positive: equal for affine images.</summary>
        public static Key OfStandardized(ReadOnlySpan<double> values)
        {
            int m = values.Length;
            double mean = 0.0;
            foreach (double v in values)
            {
                mean += v;
            }

            mean /= m;
            double ss = 0.0;
            foreach (double v in values)
            {
                ss += (v - mean) * (v - mean);
            }

            double std = Math.Sqrt(ss / m);
            Span<double> z = stackalloc double[m];
            double sign = 0.0;
            for (int k = 0; k < m; k++)
            {
                z[k] = (values[k] - mean) / std;
                if (sign == 0.0 && Math.Abs(z[k]) > 1e-6)
                {
                    sign = Math.Sign(z[k]);
                }
            }

            for (int k = 0; k < m; k++)
            {
                z[k] = Math.Round(z[k] * sign, 7);
            }

            return Of(z);
        }

        /// <summary>The double's bits with the last 20 mantissa bits dropped, rounding to nearest (0 and −0 alike).</summary>
        private static long Quantize(double v)
        {
            if (v == 0.0)
            {
                return 0;
            }

            long bits = BitConverter.DoubleToInt64Bits(v);
            return (bits + (1L << 19)) >> 20;
        }

        public bool Equals(Key other) => _hash == other._hash && _check == other._check;

        public override bool Equals(object? obj) => obj is Key key && Equals(key);

        public override int GetHashCode() => HashCode.Combine(_hash, _check);
    }
}
