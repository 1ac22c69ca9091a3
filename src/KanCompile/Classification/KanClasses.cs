namespace KanCompile;

/// <summary>
/// What a classifier's outputs mean: the class names (index i names class i) and how outputs become a class and class
/// probabilities. A fit on a class dataset sets <see cref="KanModel.Classes"/>; model files keep it, so predictions come
/// back as names.
/// </summary>
public sealed class KanClasses
{
    /// <summary>Creates the mapping.</summary>
    /// <param name="names">At least two distinct, non-empty class names.</param>
    /// <param name="decision">How outputs become a class.</param>
    public KanClasses(IReadOnlyList<string> names, KanClassDecision decision)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (!Enum.IsDefined(decision))
        {
            throw new ArgumentOutOfRangeException(nameof(decision), decision, "Unknown class decision.");
        }

        string[] copy = names.ToArray();
        if (copy.Length < 2)
        {
            throw new ArgumentException($"A classifier needs at least two classes; got {copy.Length}.", nameof(names));
        }

        for (int c = 0; c < copy.Length; c++)
        {
            if (string.IsNullOrEmpty(copy[c]) || Array.IndexOf(copy, copy[c]) != c)
            {
                throw new ArgumentException($"Class {c} is '{copy[c]}'; class names must be non-empty and distinct.", nameof(names));
            }
        }

        if (decision == KanClassDecision.Logistic && copy.Length != 2)
        {
            throw new ArgumentException($"A logistic classifier has exactly two classes; got {copy.Length}.", nameof(names));
        }

        Names = copy;
        Decision = decision;
    }

    /// <summary>The class names; index i names class i.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>How outputs become a class and probabilities.</summary>
    public KanClassDecision Decision { get; }

    /// <summary>Number of classes.</summary>
    public int Count => Names.Count;

    /// <summary>Whether <see cref="KanModel.PredictProbabilities"/> has probabilities to give (not for <see cref="KanClassDecision.NearestIndex"/>).</summary>
    public bool HasProbabilities => Decision != KanClassDecision.NearestIndex;

    /// <summary>The index of class <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">The model has no such class; the message lists the ones it has.</exception>
    public int IndexOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        for (int c = 0; c < Names.Count; c++)
        {
            if (string.Equals(Names[c], name, StringComparison.Ordinal))
            {
                return c;
            }
        }

        throw new KeyNotFoundException($"'{name}' is not one of the model's classes ({string.Join(", ", Names)}).");
    }

    /// <summary>The class index a sample's outputs (of a model or of its formula) stand for.</summary>
    public int Decide(ReadOnlySpan<double> outputs) => ClassDecisions.Class(outputs, Decision, Count);

    /// <summary>
    /// Writes the class probabilities a sample's outputs stand for (softmax, or [1 − σ(y), σ(y)]); returns false when the
    /// decision has none (<see cref="KanClassDecision.NearestIndex"/>).
    /// </summary>
    public bool TryGetProbabilities(ReadOnlySpan<double> outputs, Span<double> probabilities)
    {
        if (probabilities.Length < Count)
        {
            throw new ArgumentException($"The probability span has {probabilities.Length} values; there are {Count} classes.", nameof(probabilities));
        }

        return ClassDecisions.Probabilities(outputs, Decision, probabilities);
    }

    /// <summary>Checks that a model with <paramref name="outputCount"/> outputs can use this mapping.</summary>
    internal void CheckOutputs(int outputCount)
    {
        bool fits = Decision switch
        {
            KanClassDecision.Softmax => outputCount == Count,
            KanClassDecision.Logistic => outputCount == 1,
            _ => outputCount == 1 || outputCount == Count,
        };
        if (!fits)
        {
            throw new ArgumentException(
                $"{Count} classes decided by {Decision} need {(Decision == KanClassDecision.Softmax ? Count.ToString(System.Globalization.CultureInfo.InvariantCulture) : "1")} output(s); the model has {outputCount}.");
        }
    }
}
