namespace KanCompile.Symbolic.Discovery;

/// <summary>
/// Sparser readings of a multiplication node before its edges are fixed. A node u·v next to an addition node has
/// a whole family of equivalent spline solutions: with u = αg(a) + βh(b) and v = γg(a) + δh(b) the product's
/// interaction is (αδ + βγ)·g·h for any mix, and the addition node absorbs the g² and h² left over — as sums of
/// several library functions, which no single edge can become. The sparse member (each input feeding one factor)
/// is the one whose edges are library functions, and the splines have no reason to find it. So the search also
/// tries the network with each input kept on one factor only (the factor its edge moves most) and the other
/// factors' edges from it removed, retrained; it is explored when it fits as well as a partially fixed network
/// must. Nothing here depends on a law: only on the shape.
/// </summary>
internal static class FactorSeparation
{
    /// <summary>Inputs per multiplication node beyond which the assignments are not enumerated.</summary>
    private const int MaxInputs = 8;

    /// <summary>
    /// Up to <paramref name="count"/> separated copies of <paramref name="network"/>, most promising first (the
    /// assignments that keep the largest edges, by their standard deviation over <paramref name="samples"/>);
    /// none when the network has no multiplication node or every one is already separated.
    /// </summary>
    public static IReadOnlyList<SearchNetwork> Candidates(SearchNetwork network, SearchRows samples, int count)
    {
        if (!network.HasMultiplication)
        {
            return [];
        }

        var spread = EdgeSpread(network, samples);
        var candidates = new List<(double Kept, SearchNetwork Network)>();
        for (int l = 0; l < network.Depth; l++)
        {
            int arity = network.MultiplicationArity;
            for (int m = 0; m < network.MultiplicationNodes[l + 1]; m++)
            {
                int first = network.AdditionWidths[l + 1] + m * arity;

                // Inputs with a live spline edge into this node's factors; the others have nothing to separate.
                var inputs = Enumerable.Range(0, network.Widths[l])
                    .Where(i => Enumerable.Range(first, arity).Any(j => network[l, i, j].Kind == SearchEdgeKind.Spline))
                    .ToArray();
                if (inputs.Length < 2 || inputs.Length > MaxInputs)
                {
                    continue;
                }

                foreach (var assignment in Assignments(inputs.Length, arity))
                {
                    // Each input keeps the one factor it is assigned; every factor keeps some input; and some edge is removed.
                    if (Enumerable.Range(0, arity).Any(k => !assignment.Contains(k))
                        || inputs.Select((i, n) => network[l, i, first + assignment[n]].Kind).Any(kind => kind != SearchEdgeKind.Spline))
                    {
                        continue;
                    }

                    var copy = network.Copy();
                    double kept = 0.0;
                    bool removed = false;
                    for (int n = 0; n < inputs.Length; n++)
                    {
                        for (int k = 0; k < arity; k++)
                        {
                            int j = first + k;
                            if (k == assignment[n])
                            {
                                kept += spread[(l, inputs[n], j)];
                            }
                            else if (copy[l, inputs[n], j].Kind != SearchEdgeKind.Zero)
                            {
                                copy[l, inputs[n], j] = SearchEdge.Zero();
                                removed = true;
                            }
                        }
                    }

                    if (removed)
                    {
                        candidates.Add((kept, copy));
                    }
                }
            }
        }

        // Stable: equal spreads keep enumeration order, so the same network always gives the same list.
        return candidates.OrderByDescending(c => c.Kept).Take(count).Select(c => c.Network).ToArray();
    }

    /// <summary>Every map of <paramref name="inputs"/> inputs to one of <paramref name="arity"/> factors, in lexicographic order.</summary>
    private static IEnumerable<int[]> Assignments(int inputs, int arity)
    {
        var current = new int[inputs];
        while (true)
        {
            yield return (int[])current.Clone();
            int position = inputs - 1;
            while (position >= 0 && ++current[position] == arity)
            {
                current[position--] = 0;
            }

            if (position < 0)
            {
                yield break;
            }
        }
    }

    /// <summary>Standard deviation of every edge's output over the samples.</summary>
    private static Dictionary<(int, int, int), double> EdgeSpread(SearchNetwork network, SearchRows samples)
    {
        var sums = new Dictionary<(int, int, int), (double Sum, double Squares)>();
        var nodes = network.CreateNodeBuffers();
        for (int s = 0; s < samples.Count; s++)
        {
            network.Forward(samples.Row(s), nodes);
            foreach (var (l, i, j) in network.Edges())
            {
                double y = network.EdgeValue(l, i, j, nodes[l][i]);
                var (sum, squares) = sums.GetValueOrDefault((l, i, j));
                sums[(l, i, j)] = (sum + y, squares + y * y);
            }
        }

        int n = Math.Max(1, samples.Count);
        return sums.ToDictionary(p => p.Key, p => Math.Sqrt(Math.Max(0.0, p.Value.Squares / n - p.Value.Sum / n * (p.Value.Sum / n))));
    }
}
