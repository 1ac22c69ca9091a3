namespace KanCompile.Interpretability.Hypotheses;

/// <summary>Which kind of separability a hypothesis test looks for (pykan's <c>mode</c>).</summary>
public enum SeparabilityMode
{
    /// <summary>f = g(x_A) + h(x_B) (pykan's <c>'add'</c>).</summary>
    Additive,

    /// <summary>f + bias = g(x_A)·h(x_B) (pykan's <c>'mul'</c>).</summary>
    Multiplicative,
}
