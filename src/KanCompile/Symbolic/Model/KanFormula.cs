using KanCompile.Symbolic.Expressions;

namespace KanCompile.Symbolic;

/// <summary>
/// The closed form of a fully symbolic model (pykan's <c>symbolic_formula</c>): one expression per output over
/// the inputs, printed with <see cref="VariableNames"/>.
/// </summary>
public sealed class KanFormula
{
    internal KanFormula(IReadOnlyList<SymbolicExpression> outputs, IReadOnlyList<string> variableNames)
    {
        Outputs = outputs;
        VariableNames = variableNames;
    }

    /// <summary>One expression per model output.</summary>
    public IReadOnlyList<SymbolicExpression> Outputs { get; }

    /// <summary>The input names used when printing (default x1..xn, as pykan's x_1..x_n).</summary>
    public IReadOnlyList<string> VariableNames { get; }

    /// <summary>Output <paramref name="output"/> as text, e.g. <c>exp(x2^2 + sin(3.1416*x1))</c>.</summary>
    public string ToText(int output = 0) => Outputs[output].ToText(VariableNames);

    /// <summary>Output <paramref name="output"/> as LaTeX.</summary>
    public string ToLatex(int output = 0) => Outputs[output].ToLatex(VariableNames);

    /// <summary>Output <paramref name="output"/> as a C# expression.</summary>
    public string ToCSharp(int output = 0) => Outputs[output].ToCSharp(VariableNames);

    /// <summary>Evaluates every output at one input vector.</summary>
    /// <exception cref="ArgumentException">The spans do not fit the formula.</exception>
    public void Evaluate(ReadOnlySpan<double> inputs, Span<double> outputs)
    {
        if (inputs.Length != VariableNames.Count || outputs.Length < Outputs.Count)
        {
            throw new ArgumentException($"The formula takes {VariableNames.Count} inputs and gives {Outputs.Count} outputs; got {inputs.Length} and {outputs.Length}.");
        }

        for (int o = 0; o < Outputs.Count; o++)
        {
            outputs[o] = Outputs[o].Evaluate(inputs);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => string.Join(Environment.NewLine, Enumerable.Range(0, Outputs.Count).Select(o => ToText(o)));
}
