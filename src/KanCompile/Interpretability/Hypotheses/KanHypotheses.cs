namespace KanCompile.Interpretability.Hypotheses;

/// <summary>
/// pykan 0.2's hypothesis tests (kan/hypothesis.py, KAN 2.0 §4.1): read a function's structure off its input
/// derivatives. Pass a trained model (its kernels supply analytic gradients and Hessians,
/// <see cref="KanModel.InputDerivatives"/>) or any <see cref="DifferentiableFunction"/>, and sample points
/// (row-major, one row of n inputs per point; pykan's <c>x</c>). Every score is a median over the points of a
/// quantity that is 0 when the hypothesis holds, scaled by the inputs' standard deviations over the points and
/// divided by the output's spread (of f for additive scores, of log|f + bias| for multiplicative ones), so one
/// threshold serves any scale of y; pykan leaves that division out.
/// Defaults are pykan's thresholds. Deliberate differences from pykan: general separability is tested with second
/// derivatives only (see <see cref="TestGeneralSeparability"/>), and groups are found as connected components of
/// the interaction graph rather than by agglomerative clustering.
/// </summary>
public static class KanHypotheses
{
    /// <summary>
    /// Whether the function is separable across <paramref name="groups"/> (pykan's <c>test_separability</c>):
    /// every pair of inputs in different groups — and every pair of a grouped and an ungrouped input — scores below
    /// <paramref name="threshold"/>. Additive: f = g₁(x_A₁) + g₂(x_A₂) + …, scored by median |∂²f/∂x_i∂x_j|·σ_i·σ_j/σ_f.
    /// Multiplicative: f + <paramref name="bias"/> = g₁(x_A₁)·g₂(x_A₂)·…, scored the same way on log|f + bias| (divided
    /// by its interquartile spread, which the few points near a zero of f cannot inflate).
    /// </summary>
    /// <param name="function">The function (a <see cref="KanModel"/> converts implicitly).</param>
    /// <param name="inputs">Sample points, row-major.</param>
    /// <param name="groups">Groups of input indices, e.g. <c>[[0], [1, 2]]</c>.</param>
    /// <param name="mode">Additive or multiplicative.</param>
    /// <param name="threshold">The largest cross score allowed (pykan: 1e-2).</param>
    /// <param name="bias">Added to f before the multiplicative test.</param>
    /// <exception cref="ArgumentException">Bad points or groups (an index out of range or in two groups).</exception>
    public static bool TestSeparability(DifferentiableFunction function, ReadOnlySpan<double> inputs, IReadOnlyList<IReadOnlyList<int>> groups, SeparabilityMode mode = SeparabilityMode.Additive, double threshold = 1e-2, double bias = 0.0) =>
        SeparabilityScore(function, inputs, groups, mode, bias) < threshold;

    /// <summary>The largest cross score <see cref="TestSeparability"/> compares with its threshold.</summary>
    public static double SeparabilityScore(DifferentiableFunction function, ReadOnlySpan<double> inputs, IReadOnlyList<IReadOnlyList<int>> groups, SeparabilityMode mode = SeparabilityMode.Additive, double bias = 0.0)
    {
        var samples = DerivativeSamples.Evaluate(function, inputs);
        CheckGroups(groups, samples.InputCount, nameof(groups));
        return HypothesisScores.CrossMaximum(Scores(samples, mode, bias), groups);
    }

    /// <summary>
    /// Whether f = F(g₁(x_A₁) + g₂(x_A₂) + …) for some F across <paramref name="groups"/> (pykan's
    /// <c>test_general_separability</c>). pykan differentiates the gradient ratio a third time; here two conditions
    /// on second derivatives decide, which together are equivalent: every cross block of the Hessian is
    /// φ·∇_A f·∇_B fᵀ for one φ per point, and φ (= F''/F'²) takes the same value at a companion point on the same
    /// level set of f (reached by moving the other groups' inputs and restoring f along the first group's gradient).
    /// </summary>
    /// <param name="function">The function.</param>
    /// <param name="inputs">Sample points, row-major.</param>
    /// <param name="groups">At least two groups of input indices.</param>
    /// <param name="threshold">The largest residual allowed (pykan: 1e-2).</param>
    public static bool TestGeneralSeparability(DifferentiableFunction function, ReadOnlySpan<double> inputs, IReadOnlyList<IReadOnlyList<int>> groups, double threshold = 1e-2)
    {
        var samples = DerivativeSamples.Evaluate(function, inputs);
        CheckGroups(groups, samples.InputCount, nameof(groups));
        return HypothesisScores.GeneralSeparability(samples, groups) < threshold;
    }

    /// <summary>
    /// Whether the inputs of <paramref name="group"/> enter the function only through one combination h(x_group)
    /// (pykan's <c>test_symmetry</c>): the direction of the gradient within the group must not change with the
    /// other inputs. A group of every input (or none) is trivially symmetric.
    /// </summary>
    /// <param name="function">The function.</param>
    /// <param name="inputs">Sample points, row-major.</param>
    /// <param name="group">Input indices.</param>
    /// <param name="threshold">The largest dependence allowed (pykan: 1e-3).</param>
    public static bool TestSymmetry(DifferentiableFunction function, ReadOnlySpan<double> inputs, IReadOnlyList<int> group, double threshold = 1e-3)
    {
        var samples = DerivativeSamples.Evaluate(function, inputs);
        CheckGroups([group], samples.InputCount, nameof(group));
        return HypothesisScores.Symmetry(samples, group) < threshold;
    }

    /// <summary>
    /// Finds the finest groups across which the function is separable (pykan's <c>detect_separability</c>): two
    /// inputs share a group when their score (see <see cref="TestSeparability"/>) reaches
    /// <paramref name="scoreThreshold"/>, directly or through other inputs. When the scores left between groups
    /// exceed <paramref name="residualThreshold"/> of all scores, every input is put in one group.
    /// </summary>
    public static SeparabilityDetection DetectSeparability(DifferentiableFunction function, ReadOnlySpan<double> inputs, SeparabilityMode mode = SeparabilityMode.Additive, double scoreThreshold = 1e-2, double residualThreshold = 1e-2, double bias = 0.0)
    {
        var samples = DerivativeSamples.Evaluate(function, inputs);
        var scores = Scores(samples, mode, bias);
        int n = samples.InputCount;
        var groups = Components(n, (i, j) => scores[i, j] >= scoreThreshold);
        double total = 0.0, cross = 0.0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double score = double.IsFinite(scores[i, j]) ? scores[i, j] : 0.0;
                total += score;
                if (!groups.Any(g => g.Contains(i) && g.Contains(j)))
                {
                    cross += score;
                }
            }
        }

        double ratio = total > 0.0 ? cross / total : 0.0;
        if (ratio > residualThreshold)
        {
            groups = [Enumerable.Range(0, n).ToArray()];
            ratio = 0.0;
        }

        return new SeparabilityDetection(mode, scores, groups, ratio);
    }

    /// <summary>
    /// How the inputs combine hierarchically (pykan's <c>get_molecule</c>): level 0 has every input alone; each next
    /// level joins, in input order, molecules whose union passes <see cref="TestSymmetry"/> (short of joining every
    /// input), until nothing joins; the last level is every input. Lower levels are ordered as the higher ones read.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<IReadOnlyList<int>>> GetMolecule(DifferentiableFunction function, ReadOnlySpan<double> inputs, double symmetryThreshold = 1e-3) =>
        Molecules(DerivativeSamples.Evaluate(function, inputs), symmetryThreshold);

    /// <summary>
    /// The dependency tree (pykan's <c>get_molecule</c> with <c>get_tree_node</c>, what <c>plot_tree</c> draws):
    /// the molecules, and for every node whether its children combine generally separably
    /// (<see cref="TestGeneralSeparability"/>) and, at the top, additively or multiplicatively
    /// (<see cref="TestSeparability"/>; multiplicative wins when both hold, as in pykan).
    /// </summary>
    /// <param name="function">The function.</param>
    /// <param name="inputs">Sample points, row-major.</param>
    /// <param name="symmetryThreshold">Threshold of the symmetry tests that join molecules (pykan: 1e-3).</param>
    /// <param name="separabilityThreshold">Threshold of the separability tests of each node (pykan's plot_tree: 1e-1).</param>
    public static DependencyTree GetTree(DifferentiableFunction function, ReadOnlySpan<double> inputs, double symmetryThreshold = 1e-3, double separabilityThreshold = 1e-1)
    {
        var samples = DerivativeSamples.Evaluate(function, inputs);
        var molecules = Molecules(samples, symmetryThreshold);
        var additive = HypothesisScores.Additive(samples);
        var multiplicative = HypothesisScores.Multiplicative(samples, 0.0);
        var nodes = new List<IReadOnlyList<DependencyNode>>();
        for (int level = 1; level < molecules.Count; level++)
        {
            var below = molecules[level - 1];
            var row = new List<DependencyNode>();
            foreach (var molecule in molecules[level])
            {
                var children = below.Where(child => child.All(molecule.Contains)).ToArray();
                var property = DependencyProperty.Identity;
                if (children.Length > 1)
                {
                    property = HypothesisScores.GeneralSeparability(samples, children) < separabilityThreshold ? DependencyProperty.GeneralSeparable : DependencyProperty.None;
                    if (level == molecules.Count - 1)
                    {
                        if (HypothesisScores.CrossMaximum(additive, children) < separabilityThreshold)
                        {
                            property = DependencyProperty.Additive;
                        }

                        if (HypothesisScores.CrossMaximum(multiplicative, children) < separabilityThreshold)
                        {
                            property = DependencyProperty.Multiplicative;
                        }
                    }
                }

                row.Add(new DependencyNode(molecule, children, property));
            }

            nodes.Add(row);
        }

        return new DependencyTree(molecules, nodes);
    }

    private static double[,] Scores(DerivativeSamples samples, SeparabilityMode mode, double bias) =>
        mode == SeparabilityMode.Additive ? HypothesisScores.Additive(samples) : HypothesisScores.Multiplicative(samples, bias);

    private static List<IReadOnlyList<IReadOnlyList<int>>> Molecules(DerivativeSamples samples, double threshold)
    {
        int n = samples.InputCount;
        var levels = new List<List<List<int>>> { Enumerable.Range(0, n).Select(i => new List<int> { i }).ToList() };
        while (levels[^1].Count > 1)
        {
            var remaining = levels[^1].Select(m => m.ToList()).ToList();
            var joined = new List<List<int>>();
            while (remaining.Count > 0)
            {
                var current = remaining[0];
                remaining.RemoveAt(0);
                foreach (var atom in remaining.ToArray())
                {
                    var union = current.Concat(atom).ToList();
                    if (union.Count < n && HypothesisScores.Symmetry(samples, union) < threshold)
                    {
                        current = union;
                        remaining.Remove(atom);
                    }
                }

                joined.Add(current);
            }

            if (joined.Count == levels[^1].Count)
            {
                break;
            }

            levels.Add(joined);
        }

        if (levels[^1].Count > 1)
        {
            levels.Add([levels[^1].SelectMany(m => m).ToList()]);
        }

        // Order every level as the level above reads it, so the tree draws without crossings.
        for (int level = levels.Count - 2; level >= 0; level--)
        {
            var order = levels[level + 1].SelectMany(m => m).ToList();
            levels[level] = levels[level].OrderBy(m => order.IndexOf(m[0])).Select(m => m.OrderBy(order.IndexOf).ToList()).ToList();
        }

        return levels.Select(level => (IReadOnlyList<IReadOnlyList<int>>)level.Select(m => (IReadOnlyList<int>)m.ToArray()).ToArray()).ToList();
    }

    /// <summary>Connected components of the graph whose edges are the pairs <paramref name="linked"/> holds for, in order of their smallest member.</summary>
    private static IReadOnlyList<IReadOnlyList<int>> Components(int n, Func<int, int, bool> linked)
    {
        var component = Enumerable.Repeat(-1, n).ToArray();
        var groups = new List<IReadOnlyList<int>>();
        for (int start = 0; start < n; start++)
        {
            if (component[start] >= 0)
            {
                continue;
            }

            var members = new List<int>();
            var stack = new Stack<int>([start]);
            component[start] = groups.Count;
            while (stack.Count > 0)
            {
                int i = stack.Pop();
                members.Add(i);
                for (int j = 0; j < n; j++)
                {
                    if (component[j] < 0 && j != i && linked(i, j))
                    {
                        component[j] = groups.Count;
                        stack.Push(j);
                    }
                }
            }

            members.Sort();
            groups.Add(members);
        }

        return groups;
    }

    private static void CheckGroups(IReadOnlyList<IReadOnlyList<int>> groups, int inputCount, string parameter)
    {
        ArgumentNullException.ThrowIfNull(groups, parameter);
        var seen = new HashSet<int>();
        foreach (var group in groups)
        {
            ArgumentNullException.ThrowIfNull(group, parameter);
            foreach (int i in group)
            {
                if ((uint)i >= (uint)inputCount)
                {
                    throw new ArgumentException($"Input index {i} is out of range: the function has {inputCount} inputs (0 … {inputCount - 1}).", parameter);
                }

                if (!seen.Add(i))
                {
                    throw new ArgumentException($"Input {i} appears in more than one group (or twice in one).", parameter);
                }
            }
        }
    }
}
