namespace KanCompile.Symbolic.Expressions;

/// <summary>A numeric constant.</summary>
public sealed class ConstantExpression : SymbolicExpression
{
    internal ConstantExpression(double value, ExactConstant? exact = null)
    {
        Value = value;
        Exact = exact;
    }

    /// <summary>The value.</summary>
    public double Value { get; }

    /// <summary>How the constant is written when it was recognised as a simple one (1/2, 1/(4π), …); null otherwise.</summary>
    internal ExactConstant? Exact { get; }

    /// <inheritdoc/>
    public override int VariableCount => 0;

    /// <inheritdoc/>
    public override double Evaluate(ReadOnlySpan<double> inputs) => Value;
}

/// <summary>An input variable.</summary>
public sealed class VariableExpression : SymbolicExpression
{
    internal VariableExpression(int index)
    {
        if (index < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, "A variable index must be >= 0 (0 is x1).");
        }

        Index = index;
    }

    /// <summary>The zero-based input index.</summary>
    public int Index { get; }

    /// <inheritdoc/>
    public override int VariableCount => Index + 1;

    /// <inheritdoc/>
    public override double Evaluate(ReadOnlySpan<double> inputs) => ReadVariable(inputs, Index);
}

/// <summary>A sum of two or more terms, evaluated left to right.</summary>
public sealed class SumExpression : SymbolicExpression
{
    private readonly SymbolicExpression[] _terms;

    internal SumExpression(SymbolicExpression[] terms) => _terms = terms;

    /// <summary>The terms, in order.</summary>
    public IReadOnlyList<SymbolicExpression> Terms => _terms;

    /// <inheritdoc/>
    public override int VariableCount => _terms.Max(t => t.VariableCount);

    /// <inheritdoc/>
    public override double Evaluate(ReadOnlySpan<double> inputs)
    {
        double sum = _terms[0].Evaluate(inputs);
        for (int i = 1; i < _terms.Length; i++)
        {
            sum += _terms[i].Evaluate(inputs);
        }

        return sum;
    }
}

/// <summary>A product of two or more factors, evaluated left to right.</summary>
public sealed class ProductExpression : SymbolicExpression
{
    private readonly SymbolicExpression[] _factors;

    internal ProductExpression(SymbolicExpression[] factors) => _factors = factors;

    /// <summary>The factors, in order (a constant coefficient first after simplification).</summary>
    public IReadOnlyList<SymbolicExpression> Factors => _factors;

    /// <inheritdoc/>
    public override int VariableCount => _factors.Max(f => f.VariableCount);

    /// <inheritdoc/>
    public override double Evaluate(ReadOnlySpan<double> inputs)
    {
        double product = _factors[0].Evaluate(inputs);
        for (int i = 1; i < _factors.Length; i++)
        {
            product *= _factors[i].Evaluate(inputs);
        }

        return product;
    }
}

/// <summary>A base raised to a real exponent.</summary>
public sealed class PowerExpression : SymbolicExpression
{
    internal PowerExpression(SymbolicExpression baseExpression, double exponent)
    {
        Base = baseExpression;
        Exponent = exponent;
    }

    /// <summary>The base.</summary>
    public SymbolicExpression Base { get; }

    /// <summary>The exponent.</summary>
    public double Exponent { get; }

    /// <inheritdoc/>
    public override int VariableCount => Base.VariableCount;

    /// <inheritdoc/>
    public override double Evaluate(ReadOnlySpan<double> inputs) => Raise(Base.Evaluate(inputs), Exponent);

    /// <summary>
    /// The power as the C# export computes it (square roots and reciprocals exactly, otherwise Math.Pow), so
    /// evaluation and exported code agree bit for bit.
    /// </summary>
    internal static double Raise(double value, double exponent) => exponent switch
    {
        1.0 => value,
        0.5 => Math.Sqrt(value),
        -0.5 => 1.0 / Math.Sqrt(value),
        -1.0 => 1.0 / value,
        _ => Math.Pow(value, exponent),
    };
}

/// <summary>A library function applied to an argument.</summary>
public sealed class CallExpression : SymbolicExpression
{
    internal CallExpression(SymbolicFunction function, SymbolicExpression argument)
    {
        Function = function ?? throw new ArgumentNullException(nameof(function));
        Argument = argument ?? throw new ArgumentNullException(nameof(argument));
    }

    /// <summary>The function.</summary>
    public SymbolicFunction Function { get; }

    /// <summary>The argument.</summary>
    public SymbolicExpression Argument { get; }

    /// <inheritdoc/>
    public override int VariableCount => Argument.VariableCount;

    /// <inheritdoc/>
    public override double Evaluate(ReadOnlySpan<double> inputs) => Function.Evaluate(Argument.Evaluate(inputs));
}
