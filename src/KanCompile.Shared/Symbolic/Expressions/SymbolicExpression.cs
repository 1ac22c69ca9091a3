namespace KanCompile.Symbolic.Expressions;

/// <summary>
/// An immutable expression tree over inputs x1..xn: constants, variables, sums, products, real powers and calls of
/// library functions. Built by <see cref="SymbolicFormula"/>, simplified by <see cref="Simplify"/>, rounded by
/// <see cref="Round"/> (pykan's <c>ex_round</c>) and printed as text, LaTeX or C#.
/// </summary>
public abstract class SymbolicExpression
{
    private protected SymbolicExpression()
    {
    }

    /// <summary>The constant 0.</summary>
    public static SymbolicExpression Zero { get; } = new ConstantExpression(0.0);

    /// <summary>The constant 1.</summary>
    public static SymbolicExpression One { get; } = new ConstantExpression(1.0);

    /// <summary>A constant.</summary>
    public static SymbolicExpression Constant(double value) => new ConstantExpression(value);

    /// <summary>A constant recognised as a simple one, printed as written (its value is the exact constant's double).</summary>
    internal static SymbolicExpression Constant(ExactConstant exact) => new ConstantExpression(exact.Value, exact);

    /// <summary>The input with zero-based <paramref name="index"/> (printed x1 for index 0 unless named).</summary>
    public static SymbolicExpression Variable(int index) => new VariableExpression(index);

    /// <summary>The sum of <paramref name="terms"/> (0 if empty).</summary>
    public static SymbolicExpression Add(params SymbolicExpression[] terms) => Add((IEnumerable<SymbolicExpression>)terms);

    /// <summary>The sum of <paramref name="terms"/> (0 if empty).</summary>
    public static SymbolicExpression Add(IEnumerable<SymbolicExpression> terms)
    {
        var list = terms.ToArray();
        return list.Length switch
        {
            0 => Zero,
            1 => list[0],
            _ => new SumExpression(list),
        };
    }

    /// <summary>The product of <paramref name="factors"/> (1 if empty).</summary>
    public static SymbolicExpression Multiply(params SymbolicExpression[] factors) => Multiply((IEnumerable<SymbolicExpression>)factors);

    /// <summary>The product of <paramref name="factors"/> (1 if empty).</summary>
    public static SymbolicExpression Multiply(IEnumerable<SymbolicExpression> factors)
    {
        var list = factors.ToArray();
        return list.Length switch
        {
            0 => One,
            1 => list[0],
            _ => new ProductExpression(list),
        };
    }

    /// <summary><paramref name="baseExpression"/> raised to a real <paramref name="exponent"/>.</summary>
    public static SymbolicExpression Power(SymbolicExpression baseExpression, double exponent) =>
        new PowerExpression(baseExpression, exponent);

    /// <summary>A library function applied to <paramref name="argument"/>, rendered through its templates.</summary>
    public static SymbolicExpression Call(SymbolicFunction function, SymbolicExpression argument) =>
        new CallExpression(function, argument);

    /// <summary>The affine map <paramref name="scale"/>·inner + <paramref name="shift"/>.</summary>
    public static SymbolicExpression Affine(SymbolicExpression inner, double scale, double shift) =>
        Add(Multiply(Constant(scale), inner), Constant(shift));

    /// <summary>The sum of two expressions.</summary>
    public static SymbolicExpression operator +(SymbolicExpression left, SymbolicExpression right) => Add(left, right);

    /// <summary>The product of two expressions.</summary>
    public static SymbolicExpression operator *(SymbolicExpression left, SymbolicExpression right) => Multiply(left, right);

    /// <summary>Evaluates the expression at one point; <paramref name="inputs"/>[i] is the value of variable i.</summary>
    /// <exception cref="ArgumentException">A variable index is outside <paramref name="inputs"/>.</exception>
    public abstract double Evaluate(ReadOnlySpan<double> inputs);

    /// <summary>
    /// The number of inputs the expression reads: one more than the largest variable index, or 0 for a constant.
    /// </summary>
    public abstract int VariableCount { get; }

    /// <summary>
    /// Constant folding, flattening, distributing constant factors over sums (merging affine maps
    /// a·(b·x + c) + d), dropping ×1 and +0, removing zero terms and combining like terms.
    /// </summary>
    public SymbolicExpression Simplify() => SymbolicSimplifier.Simplify(this);

    /// <summary>
    /// Rounds every constant to <paramref name="digits"/> decimal places (round-half-even, like pykan's
    /// <c>ex_round</c>), then simplifies. Exponents are structural and are not rounded.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="digits"/> is negative.</exception>
    public SymbolicExpression Round(int digits)
    {
        if (digits < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(digits), digits, "The number of digits to round constants to must be >= 0.");
        }

        // Simplifying rounded constants can create new ones (a rounded shift vanishes, log(c·u) then splits and
        // e^(log c) joins a rounded coefficient), so round and simplify until no constant changes.
        var current = SymbolicSimplifier.Simplify(SymbolicSimplifier.Round(Simplify(), digits));
        for (int pass = 0; pass < 4; pass++)
        {
            var next = SymbolicSimplifier.Simplify(SymbolicSimplifier.Round(current, digits));
            if (SymbolicPrinter.Print(next, PrintDialect.Text, null) == SymbolicPrinter.Print(current, PrintDialect.Text, null))
            {
                return next;
            }

            current = next;
        }

        return current;
    }

    /// <summary>
    /// Rounds each constant, one at a time in print order, to the fewest decimal places (0 … <paramref name="maximumDigits"/>)
    /// for which <paramref name="accept"/> still approves the whole simplified expression; a constant no rounding
    /// satisfies keeps its value. For issue-#8 style checks ("the test RMSE may not change beyond 1e-12 relative")
    /// use the overload that takes samples. Exponents are structural and are not rounded.
    /// </summary>
    /// <param name="accept">Called with each candidate (already simplified); true keeps it.</param>
    /// <param name="maximumDigits">The most decimal places tried (0 to 15).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maximumDigits"/> is outside 0 … 15.</exception>
    public SymbolicExpression RoundPreservingAccuracy(Func<SymbolicExpression, bool> accept, int maximumDigits = ConstantRounding.MaximumDigits) =>
        ConstantRounding.Round(this, accept, maximumDigits);

    /// <summary>
    /// <see cref="RoundPreservingAccuracy(Func{SymbolicExpression, bool}, int)"/> with the RMSE check on samples: a rounding is
    /// kept when the RMSE against <paramref name="targets"/> stays finite and at most (1 + <paramref name="relativeTolerance"/>)
    /// times the unrounded expression's.
    /// </summary>
    /// <param name="inputs">Row-major samples, one row (at least <see cref="VariableCount"/> values) per target.</param>
    /// <param name="targets">The values the expression should reproduce.</param>
    /// <param name="relativeTolerance">How much the RMSE may grow, relative (default 1e-12).</param>
    /// <exception cref="ArgumentException">The rows do not match the targets or are too narrow.</exception>
    public SymbolicExpression RoundPreservingAccuracy(double[] inputs, double[] targets, double relativeTolerance = 1e-12)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        var simplified = Simplify();
        return ConstantRounding.Round(simplified, ConstantRounding.RmseCheck(simplified, inputs, targets, relativeTolerance), ConstantRounding.MaximumDigits);
    }

    /// <summary>Plain text such as <c>exp(x2^2 + sin(3.1416*x1))</c>.</summary>
    /// <param name="variableNames">Names of the inputs; x1..xn when null.</param>
    public string ToText(IReadOnlyList<string>? variableNames = null) => SymbolicPrinter.Print(this, PrintDialect.Text, variableNames);

    /// <summary>LaTeX such as <c>e^{x_{2}^{2} + \sin\left(3.1416 x_{1}\right)}</c>.</summary>
    /// <param name="variableNames">LaTeX names of the inputs; x_{1}..x_{n} when null.</param>
    public string ToLatex(IReadOnlyList<string>? variableNames = null) => SymbolicPrinter.Print(this, PrintDialect.Latex, variableNames);

    /// <summary>
    /// A C# expression over local <c>double</c> variables named by <paramref name="variableNames"/> (x1..xn when
    /// null), using <c>System.Math</c>; the sign function calls a helper <c>Sgn</c> that
    /// <see cref="FormulaExport.ToCSharp"/> defines.
    /// </summary>
    public string ToCSharp(IReadOnlyList<string>? variableNames = null) => SymbolicPrinter.Print(this, PrintDialect.CSharp, variableNames);

    /// <summary>The plain-text form (<see cref="ToText"/>).</summary>
    public override string ToString() => ToText();

    private protected static double ReadVariable(ReadOnlySpan<double> inputs, int index)
    {
        if ((uint)index >= (uint)inputs.Length)
        {
            throw new ArgumentException(
                $"The expression reads input x{index + 1} but only {inputs.Length} input value(s) were given.", nameof(inputs));
        }

        return inputs[index];
    }
}
