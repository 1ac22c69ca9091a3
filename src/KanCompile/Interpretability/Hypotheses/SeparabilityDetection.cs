namespace KanCompile.Interpretability.Hypotheses;

/// <summary>
/// What <see cref="KanHypotheses.DetectSeparability"/> found: the groups of inputs that interact (pykan's
/// <c>groups</c>), each input's group (<c>labels</c>), the score matrix they were read from (<c>hessian</c>) and the
/// share of the scores left between groups.
/// </summary>
public sealed class SeparabilityDetection
{
    internal SeparabilityDetection(SeparabilityMode mode, double[,] scores, IReadOnlyList<IReadOnlyList<int>> groups, double residualRatio)
    {
        Mode = mode;
        Scores = scores;
        Groups = groups;
        ResidualRatio = residualRatio;
        var labels = new int[scores.GetLength(0)];
        for (int g = 0; g < groups.Count; g++)
        {
            foreach (int i in groups[g])
            {
                labels[i] = g;
            }
        }

        Labels = labels;
    }

    /// <summary>The separability looked for.</summary>
    public SeparabilityMode Mode { get; }

    /// <summary>The interaction score of every pair of inputs (symmetric; see <see cref="KanHypotheses"/>).</summary>
    public double[,] Scores { get; }

    /// <summary>The groups, in order of their smallest input: the function is separable across them.</summary>
    public IReadOnlyList<IReadOnlyList<int>> Groups { get; }

    /// <summary>The group of each input.</summary>
    public IReadOnlyList<int> Labels { get; }

    /// <summary>Sum of the scores between different groups over the sum of all scores.</summary>
    public double ResidualRatio { get; }

    /// <summary>True when there is more than one group.</summary>
    public bool IsSeparable => Groups.Count > 1;

    /// <inheritdoc/>
    public override string ToString() =>
        (IsSeparable ? $"{Mode.ToString().ToLowerInvariant()} separability detected: " : $"{Mode.ToString().ToLowerInvariant()} separability not detected: ") +
        string.Join(Mode == SeparabilityMode.Additive ? " + " : " × ", Groups.Select(g => "{" + string.Join(", ", g) + "}"));
}
