using KanCompile.Interpretability.Hypotheses;
using KanCompile.Numerics;

namespace KanCompile.Symbolic.Discovery;

/// <summary>
/// A smaller problem of the structure search: a function of a few variables (a slice, a factor, a transformed
/// output or a combination of the law; at the root, the trained spline model itself) with its derivatives, the box
/// it may be evaluated in, and names for its variables. Every part reads its values and derivatives from the one
/// trained model through the chain rule, so a part costs no training.
/// </summary>
internal sealed class LawPart
{
    public LawPart(DifferentiableFunction function, (double Min, double Max)[] box, string[] names, string key, Func<double[], bool>? valid = null, SearchRows? rows = null)
    {
        Function = function;
        Box = box;
        Names = names;
        Key = key;
        Valid = valid;
        Rows = rows;
    }

    /// <summary>
    /// The law's own rows in this part's variables, where they map exactly (the root; a transformed output; a
    /// combination or changed variables, which only rename the inputs; a variable left out): exact samples of the
    /// part, as opposed to its function, which reads a trained model. Null for slices, which no row lies on.
    /// </summary>
    public SearchRows? Rows { get; }

    /// <summary>This part reading <paramref name="function"/> instead (a model trained on its own rows), all else kept.</summary>
    public LawPart WithFunction(DifferentiableFunction function) => new(function, Box, Names, Key, Valid, Rows);

    /// <summary>The part's rows with each input row mapped by <paramref name="map"/> and each label by <paramref name="label"/>; null without rows or when a label leaves the domain.</summary>
    private SearchRows? MapRows(int width, Action<ReadOnlySpan<double>, Span<double>> map, Func<double, double>? label = null)
    {
        if (Rows is not { } rows)
        {
            return null;
        }

        var inputs = new double[rows.Count * width];
        var labels = new double[rows.Count];
        for (int s = 0; s < rows.Count; s++)
        {
            map(rows.Row(s), inputs.AsSpan(s * width, width));
            labels[s] = label is null ? rows.Labels[s] : label(rows.Labels[s]);
            if (!double.IsFinite(labels[s]))
            {
                return null;
            }
        }

        return new SearchRows(inputs, labels, width, 1);
    }

    /// <summary>The part without the variables outside <paramref name="used"/> (held at the anchor), keeping its rows: the part does not depend on what is dropped.</summary>
    public LawPart Restricted(int[] used, double[] anchor, string key)
    {
        var slice = Slice(used, anchor, 0.0, 1.0, key);
        var rows = MapRows(used.Length, (x, y) =>
        {
            for (int a = 0; a < used.Length; a++)
            {
                y[a] = x[used[a]];
            }
        });
        return new LawPart(slice.Function, slice.Box, slice.Names, slice.Key, slice.Valid, rows);
    }

    /// <summary>
    /// Which points of the box the part may be evaluated at (null: all of them). Parts in changed variables cover
    /// only part of their box; elsewhere their function is NaN.
    /// </summary>
    public Func<double[], bool>? Valid { get; }

    public DifferentiableFunction Function { get; }

    /// <summary>Where each variable may go (inside the training data's range).</summary>
    public (double Min, double Max)[] Box { get; }

    /// <summary>How each variable reads in terms of the law's inputs, e.g. "a" or "a/b".</summary>
    public string[] Names { get; }

    /// <summary>The path from the root that made this part: stable across runs, so it seeds the part's sample points.</summary>
    public string Key { get; }

    public int Arity => Box.Length;

    /// <summary>
    /// <paramref name="count"/> points uniform in the valid part of the box, seeded by the part's key; fewer when
    /// valid points are too rare to find.
    /// </summary>
    public double[] Points(int count, int seed)
    {
        var random = new KanRandom(unchecked(seed * 31 + StableHash(Key)));
        var points = new List<double>(count * Arity);
        var point = new double[Arity];
        for (int attempt = 0; attempt < 50 * count && points.Count < count * Arity; attempt++)
        {
            for (int i = 0; i < Arity; i++)
            {
                point[i] = Box[i].Min + (Box[i].Max - Box[i].Min) * random.NextDouble();
            }

            if (Valid is null || Valid(point))
            {
                points.AddRange(point);
            }
        }

        return [.. points];
    }

    /// <summary>The part's values at row-major points (NaN where the function is not finite).</summary>
    public double[] Values(double[] points)
    {
        var values = new double[points.Length / Arity];
        for (int s = 0; s < values.Length; s++)
        {
            values[s] = Function.Evaluate(points.AsSpan(s * Arity, Arity));
        }

        return values;
    }

    /// <summary>
    /// The part with the variables outside <paramref name="free"/> held at <paramref name="anchor"/>:
    /// (f(x_free, anchor_rest) − <paramref name="offset"/>) / <paramref name="scale"/>.
    /// </summary>
    public LawPart Slice(int[] free, double[] anchor, double offset, double scale, string key)
    {
        int n = Arity, k = free.Length;
        var function = new DifferentiableFunction(k, (x, gradient, hessian) =>
        {
            Span<double> point = stackalloc double[n];
            anchor.CopyTo(point);
            for (int a = 0; a < k; a++)
            {
                point[free[a]] = x[a];
            }

            Span<double> g = gradient.IsEmpty ? default : stackalloc double[n];
            Span<double> h = hessian.IsEmpty ? default : stackalloc double[n * n];
            double value = Function.Evaluate(point, g, h);
            for (int a = 0; a < k && !gradient.IsEmpty; a++)
            {
                gradient[a] = g[free[a]] / scale;
            }

            for (int a = 0; a < k && !hessian.IsEmpty; a++)
            {
                for (int b = 0; b < k; b++)
                {
                    hessian[a * k + b] = h[free[a] * n + free[b]] / scale;
                }
            }

            return (value - offset) / scale;
        });
        var valid = Valid;
        Func<double[], bool>? sliceValid = valid is null ? null : x =>
        {
            var point = (double[])anchor.Clone();
            for (int a = 0; a < k; a++)
            {
                point[free[a]] = x[a];
            }

            return valid(point);
        };
        return new LawPart(function, free.Select(i => Box[i]).ToArray(), free.Select(i => Names[i]).ToArray(), Key + "/" + key, sliceValid);
    }

    /// <summary>z = T(f) for an output transform, with z's derivatives by the chain rule.</summary>
    public LawPart Transformed(PartTransform transform)
    {
        int n = Arity;
        var function = new DifferentiableFunction(n, (x, gradient, hessian) =>
        {
            Span<double> g = stackalloc double[n];
            Span<double> h = hessian.IsEmpty ? default : stackalloc double[n * n];
            double y = Function.Evaluate(x, g, h);
            var (z, dz, d2z) = transform.Apply(y);
            for (int i = 0; i < n && !gradient.IsEmpty; i++)
            {
                gradient[i] = dz * g[i];
            }

            for (int i = 0; i < n && !hessian.IsEmpty; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    hessian[i * n + j] = d2z * g[i] * g[j] + dz * h[i * n + j];
                }
            }

            return z;
        });
        var rows = MapRows(Arity, (x, y) => x.CopyTo(y), y => transform.Domain(transform.Sign * y) ? transform.Apply(y).Z : double.NaN);
        return new LawPart(function, Box, Names, Key + "/" + transform.Name, Valid, rows);
    }

    /// <summary>
    /// F(u, rest) for a function that depends on x_i and x_j only through u = x_i ∘ x_j: evaluated at a point of
    /// the box where the combination equals u (x_j as near its middle as the box allows, x_i solved for), with
    /// ∂F/∂u = ∂f/∂x_i·∂x_i/∂u there. Variable 0 is u, then the other variables in order.
    /// </summary>
    public LawPart Combined(int i, int j, PairCombination combination)
    {
        int n = Arity;
        var rest = Enumerable.Range(0, n).Where(v => v != i && v != j).ToArray();
        var (uMin, uMax) = combination.Range(Box[i], Box[j]);
        var box = new[] { (uMin, uMax) }.Concat(rest.Select(v => Box[v])).ToArray();
        var names = new[] { combination.Name(Names[i], Names[j]) }.Concat(rest.Select(v => Names[v])).ToArray();
        var partBox = Box;
        var function = new DifferentiableFunction(n - 1, (x, gradient, hessian) =>
        {
            double u = x[0];
            double xj = combination.PartnerFor(u, partBox[i], partBox[j]);
            double xi = combination.Solve(u, xj);
            double d = combination.Slope(xj);
            Span<double> point = stackalloc double[n];
            point[i] = xi;
            point[j] = xj;
            for (int r = 0; r < rest.Length; r++)
            {
                point[rest[r]] = x[r + 1];
            }

            Span<double> g = gradient.IsEmpty ? default : stackalloc double[n];
            Span<double> h = hessian.IsEmpty ? default : stackalloc double[n * n];
            double value = Function.Evaluate(point, g, h);
            int m = n - 1;
            int Source(int local) => local == 0 ? i : rest[local - 1];
            double Factor(int local) => local == 0 ? d : 1.0;
            for (int a = 0; a < m && !gradient.IsEmpty; a++)
            {
                gradient[a] = g[Source(a)] * Factor(a);
            }

            for (int a = 0; a < m && !hessian.IsEmpty; a++)
            {
                for (int b = 0; b < m; b++)
                {
                    hessian[a * m + b] = h[Source(a) * n + Source(b)] * Factor(a) * Factor(b);
                }
            }

            return value;
        });
        var rows = MapRows(n - 1, (x, y) =>
        {
            y[0] = combination.Combine(x[i], x[j]);
            for (int r = 0; r < rest.Length; r++)
            {
                y[r + 1] = x[rest[r]];
            }
        });
        return new LawPart(function, box, names, Key + "/" + combination.Name("x" + i, "x" + j), rows: rows);
    }

    /// <summary>
    /// f(x) − f(x_A, x⁰_B) with B = <paramref name="fixedGroup"/> held at the anchor in the second term: for
    /// f = p(x_A) + q(x_A)·r(x_B) it is q(x_A)·(r(x_B) − r(x⁰_B)), a product.
    /// </summary>
    public LawPart Differenced(int[] fixedGroup, double[] anchor, string key)
    {
        int n = Arity;
        var function = new DifferentiableFunction(n, (x, gradient, hessian) =>
        {
            Span<double> other = stackalloc double[n];
            x.CopyTo(other);
            foreach (int b in fixedGroup)
            {
                other[b] = anchor[b];
            }

            Span<double> g = gradient.IsEmpty ? default : stackalloc double[n];
            Span<double> h = hessian.IsEmpty ? default : stackalloc double[n * n];
            double value = Function.Evaluate(x, gradient, hessian) - Function.Evaluate(other, g, h);

            // The second term does not move with x_B: its derivatives count only within A.
            for (int i = 0; i < n && !gradient.IsEmpty; i++)
            {
                if (!fixedGroup.Contains(i))
                {
                    gradient[i] -= g[i];
                }
            }

            for (int i = 0; i < n && !hessian.IsEmpty; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    if (!fixedGroup.Contains(i) && !fixedGroup.Contains(j))
                    {
                        hessian[i * n + j] -= h[i * n + j];
                    }
                }
            }

            return value;
        });
        return new LawPart(function, Box, Names, Key + "/" + key, Valid);
    }

    /// <summary>
    /// f(x) − f(x_A, x⁰_B) − f(x⁰_A, x_B) + f(x⁰), the mixed difference over the split A | B: for
    /// f = p(x_A) + s(x_B) + q(x_A)·r(x_B) it is (q(x_A) − q(x⁰_A))·(r(x_B) − r(x⁰_B)), a product.
    /// </summary>
    public LawPart MixedDifference(int[] a, int[] b, double[] anchor, string key) =>
        Differenced(b, anchor, key + "B").Differenced(a, anchor, key + "A");

    /// <summary>
    /// (f(x_A, x¹_B) − f(x_A, x⁰_B)) as a function of x_A (<paramref name="free"/>): the factor q(x_A) of
    /// f = p(x_A) + q(x_A)·r(x_B), up to a constant.
    /// </summary>
    public LawPart SliceDifference(int[] free, double[] anchor, double[] other, string key)
    {
        var near = Slice(free, anchor, 0.0, 1.0, key + "0");
        var far = Slice(free, other, 0.0, 1.0, key + "1");
        int k = free.Length;
        var function = new DifferentiableFunction(k, (x, gradient, hessian) =>
        {
            Span<double> g = gradient.IsEmpty ? default : stackalloc double[k];
            Span<double> h = hessian.IsEmpty ? default : stackalloc double[k * k];
            double value = far.Function.Evaluate(x, gradient, hessian) - near.Function.Evaluate(x, g, h);
            for (int a = 0; a < g.Length; a++)
            {
                gradient[a] -= g[a];
            }

            for (int a = 0; a < h.Length; a++)
            {
                hessian[a] -= h[a];
            }

            return value;
        });
        Func<double[], bool>? valid = near.Valid is null ? null : x => near.Valid(x) && far.Valid!(x);
        return new LawPart(function, near.Box, near.Names, Key + "/" + key, valid);
    }

    /// <summary>
    /// The part in changed variables: x_i replaced by u = x_i ∘ x_j (the other variables kept), so a law such as
    /// g(a/b)·h(b) becomes separable. F(u, x_j, …) = f(x_i(u, x_j), x_j, …), with its derivatives by the chain rule
    /// (x_i is the only variable that moves non-linearly); NaN where x_i would leave its range.
    /// </summary>
    public LawPart Rewritten(int i, int j, PairCombination combination)
    {
        int n = Arity;
        var box = (((double Min, double Max)[])Box.Clone());
        box[i] = combination.Range(Box[i], Box[j]);
        var names = (string[])Names.Clone();
        names[i] = combination.Name(Names[i], Names[j]);
        var original = Box[i];
        var valid = Valid;
        bool Inside(double[] y)
        {
            double xi = combination.Solve(y[i], y[j]);
            if (!(xi >= original.Min && xi <= original.Max))
            {
                return false;
            }

            if (valid is null)
            {
                return true;
            }

            var x = (double[])y.Clone();
            x[i] = xi;
            return valid(x);
        }

        var function = new DifferentiableFunction(n, (y, gradient, hessian) =>
        {
            double xj = y[j];
            double xi = combination.Solve(y[i], xj);
            if (!(xi >= original.Min && xi <= original.Max))
            {
                return double.NaN;
            }

            Span<double> x = stackalloc double[n];
            y.CopyTo(x);
            x[i] = xi;
            Span<double> g = stackalloc double[n];
            Span<double> h = hessian.IsEmpty ? default : stackalloc double[n * n];
            double value = Function.Evaluate(x, g, h);

            // Columns of ∂x/∂y: identity except x_i, which moves with u (column i) and with x_j (column j).
            var (du, dj, duu, duj, djj) = combination.Derivatives(y[i], xj);
            double Column(int v, int w) => v == i ? (w == i ? du : w == j ? dj : 0.0) : v == w ? 1.0 : 0.0;
            for (int a = 0; a < n && !gradient.IsEmpty; a++)
            {
                double sum = 0.0;
                for (int v = 0; v < n; v++)
                {
                    sum += g[v] * Column(v, a);
                }

                gradient[a] = sum;
            }

            for (int a = 0; a < n && !hessian.IsEmpty; a++)
            {
                for (int b = 0; b < n; b++)
                {
                    double sum = 0.0;
                    for (int v = 0; v < n; v++)
                    {
                        double cva = Column(v, a);
                        if (cva == 0.0)
                        {
                            continue;
                        }

                        for (int w = 0; w < n; w++)
                        {
                            sum += cva * h[v * n + w] * Column(w, b);
                        }
                    }

                    // f_i · ∂²x_i/∂y_a∂y_b.
                    double second = (a, b) switch
                    {
                        _ when a == i && b == i => duu,
                        _ when (a == i && b == j) || (a == j && b == i) => duj,
                        _ when a == j && b == j => djj,
                        _ => 0.0,
                    };
                    hessian[a * n + b] = sum + g[i] * second;
                }
            }

            return value;
        });
        var rows = MapRows(n, (x, y) =>
        {
            x.CopyTo(y);
            y[i] = combination.Combine(x[i], x[j]);
        });
        return new LawPart(function, box, names, Key + "/" + combination.Name("x" + i, "x" + j) + ":" + j, Inside, rows);
    }

    /// <summary>FNV-1a of the key: a hash that is the same in every process (string.GetHashCode is not).</summary>
    private static int StableHash(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 16777619;
        }

        return (int)hash;
    }
}
