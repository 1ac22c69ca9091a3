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
    /// The best readings of y(x), best first: each refitted on all samples, ranked by relative error with a
    /// penalty per node (a longer expression must fit clearly better to come first).
    /// </summary>
    public IReadOnlyList<ShortExpression> Search(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int count, CancellationToken cancellationToken = default)
    {
        if (x.Length != y.Length || x.Length < 4)
        {
            return [];
        }

        var (sampleX, sampleY) = Subsample(x, y);
        var kept = Enumerate(sampleX, sampleY, cancellationToken);
        var rows = new SearchRows(x.ToArray(), y.ToArray(), 1, 1);
        double spread = rows.LabelSpread();
        if (!(spread > 0.0))
        {
            return [new ShortExpression(SymbolicExpression.Constant(y[0]), 0.0, 0)];
        }

        var results = new List<ShortExpression>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (node, size) in kept)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            var body = Build(node);
            var start = SymbolicExpression.Add(SymbolicExpression.Multiply(SymbolicExpression.Constant(1.0), body), SymbolicExpression.Constant(0.0));
            var linear = LinearStart(body, rows);
            var fitted = FormulaRefit.Refit(linear ?? start, 0, rows) ?? linear ?? start;
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

    /// <summary>Ranking: log-error plus a cost per node (each extra node must halve the error).</summary>
    public static double Score(double relativeError, int size) => Math.Log2(Math.Max(relativeError, 1e-14)) + size;

    private List<Node> _nodes = [];
    private double[] _values = [];

    /// <summary>The enumeration: every distinct expression up to <see cref="MaxSize"/>, scored; returns the kept ones.</summary>
    private List<(int Node, int Size)> Enumerate(double[] x, double[] y, CancellationToken cancellationToken)
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

        double yMean = y.Average();
        var yCentered = y.Select(v => v - yMean).ToArray();
        double yNorm = Math.Sqrt(yCentered.Sum(v => v * v));
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

        var kept = new List<(int, int)>();
        for (int s = 1; s <= MaxSize; s++)
        {
            kept.AddRange(best[s].OrderBy(b => b.Error).Select(b => (b.Node, s)));
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

            double error = RelativeError(scratch, yCentered, yNorm);
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

    /// <summary>‖residual of the best c₀ + c₁·v‖ / ‖y − ȳ‖.</summary>
    private static double RelativeError(double[] v, double[] yCentered, double yNorm)
    {
        int m = v.Length;
        double mean = 0.0;
        for (int k = 0; k < m; k++)
        {
            mean += v[k];
        }

        mean /= m;
        double vv = 0.0, vy = 0.0;
        for (int k = 0; k < m; k++)
        {
            double c = v[k] - mean;
            vv += c * c;
            vy += c * yCentered[k];
        }

        if (!(vv > 0.0) || !(yNorm > 0.0))
        {
            return 1.0;
        }

        double explained = vy * vy / vv;
        double residual = Math.Max(0.0, yNorm * yNorm - explained);
        return Math.Sqrt(residual) / yNorm;
    }

    /// <summary>c₀ + c₁·body with c₀, c₁ from linear least squares on the rows (null when body is not finite there).</summary>
    private static SymbolicExpression? LinearStart(SymbolicExpression body, SearchRows rows)
    {
        int n = rows.Count;
        double sv = 0.0, sy = 0.0;
        var v = new double[n];
        for (int s = 0; s < n; s++)
        {
            v[s] = body.Evaluate(rows.Row(s));
            if (!double.IsFinite(v[s]))
            {
                return null;
            }

            sv += v[s];
            sy += rows.Labels[s];
        }

        double mv = sv / n, my = sy / n, vv = 0.0, vy = 0.0;
        for (int s = 0; s < n; s++)
        {
            vv += (v[s] - mv) * (v[s] - mv);
            vy += (v[s] - mv) * (rows.Labels[s] - my);
        }

        if (!(vv > 0.0))
        {
            return null;
        }

        double slope = vy / vv;
        return SymbolicExpression.Add(SymbolicExpression.Multiply(SymbolicExpression.Constant(slope), body), SymbolicExpression.Constant(my - slope * mv));
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

    /// <summary><see cref="Points"/> samples evenly spread over the sorted x (every sample when there are fewer).</summary>
    private static (double[] X, double[] Y) Subsample(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var order = Enumerable.Range(0, x.Length).ToArray();
        var keys = x.ToArray();
        Array.Sort(keys, order);
        var sx = new double[Points];
        var sy = new double[Points];
        for (int k = 0; k < Points; k++)
        {
            int i = order[(int)Math.Round(k * (x.Length - 1) / (double)(Points - 1))];
            sx[k] = x[i];
            sy[k] = y[i];
        }

        return (sx, sy);
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
