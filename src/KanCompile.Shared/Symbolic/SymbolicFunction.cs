using KanCompile.Symbolic.Expressions;

namespace KanCompile.Symbolic;

/// <summary>
/// One entry of a symbolic library (pykan's <c>SYMBOLIC_LIB</c>, kan-math §1.9): the function, its derivative,
/// its complexity, its singularity-safe variant and how it is written in text, LaTeX and C#.
/// </summary>
/// <remarks>
/// Templates contain the placeholder <c>{x}</c>, replaced verbatim by the rendered argument, so a template must
/// delimit it itself (<c>J0({x})</c>, <c>({x})^3</c>).
/// </remarks>
public sealed class SymbolicFunction
{
    /// <summary>The placeholder for the argument inside the text, LaTeX and C# templates.</summary>
    public const string ArgumentPlaceholder = "{x}";

    private readonly Func<double, double> _function;
    private readonly Func<double, double> _derivative;
    private readonly Func<double, double, double> _safeFunction;
    private readonly Func<double, double, double> _safeDerivative;
    private readonly Func<SymbolicExpression, SymbolicExpression> _apply;

    /// <summary>Creates a library entry whose expression form is a call rendered through the templates.</summary>
    /// <param name="name">The library name (pykan's key, e.g. <c>"sin"</c>).</param>
    /// <param name="function">f(x), as pykan evaluates it when fitting (NaN where undefined).</param>
    /// <param name="derivative">f'(x).</param>
    /// <param name="complexity">The complexity c used by <see cref="SymbolicFit.SuggestSymbolic"/>.</param>
    /// <param name="textTemplate">Plain text, e.g. <c>"sin({x})"</c>.</param>
    /// <param name="csharpTemplate">A C# expression, e.g. <c>"Math.Sin({x})"</c>.</param>
    /// <param name="latexTemplate">LaTeX, e.g. <c>"\sin\left({x}\right)"</c>.</param>
    /// <param name="safeFunction">The singularity-safe variant f(x, y_th); <paramref name="function"/> if null.</param>
    /// <param name="safeDerivative">The derivative of the safe variant; <paramref name="derivative"/> if null.</param>
    public SymbolicFunction(
        string name,
        Func<double, double> function,
        Func<double, double> derivative,
        int complexity,
        string textTemplate,
        string csharpTemplate,
        string latexTemplate,
        Func<double, double, double>? safeFunction = null,
        Func<double, double, double>? safeDerivative = null)
        : this(name, function, derivative, complexity, textTemplate, csharpTemplate, latexTemplate, safeFunction, safeDerivative, apply: null)
    {
    }

    internal SymbolicFunction(
        string name,
        Func<double, double> function,
        Func<double, double> derivative,
        int complexity,
        string textTemplate,
        string csharpTemplate,
        string latexTemplate,
        Func<double, double, double>? safeFunction,
        Func<double, double, double>? safeDerivative,
        Func<SymbolicExpression, SymbolicExpression>? apply)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("A symbolic function needs a non-empty name.", nameof(name));
        }

        if (complexity < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(complexity), complexity, $"The complexity of '{name}' must be >= 0.");
        }

        CheckTemplate(name, textTemplate, nameof(textTemplate));
        CheckTemplate(name, csharpTemplate, nameof(csharpTemplate));
        CheckTemplate(name, latexTemplate, nameof(latexTemplate));
        Name = name;
        _function = function ?? throw new ArgumentNullException(nameof(function));
        _derivative = derivative ?? throw new ArgumentNullException(nameof(derivative));
        Complexity = complexity;
        TextTemplate = textTemplate;
        CSharpTemplate = csharpTemplate;
        LatexTemplate = latexTemplate;
        _safeFunction = safeFunction ?? ((x, _) => function(x));
        _safeDerivative = safeDerivative ?? ((x, _) => derivative(x));
        _apply = apply ?? (argument => SymbolicExpression.Call(this, argument));
    }

    /// <summary>The library name, e.g. <c>"x^2"</c> or <c>"sin"</c>.</summary>
    public string Name { get; }

    /// <summary>The complexity c (pykan's third tuple element).</summary>
    public int Complexity { get; }

    /// <summary>The plain-text template, with <see cref="ArgumentPlaceholder"/> for the argument.</summary>
    public string TextTemplate { get; }

    /// <summary>The C# expression template, with <see cref="ArgumentPlaceholder"/> for the argument.</summary>
    public string CSharpTemplate { get; }

    /// <summary>The LaTeX template, with <see cref="ArgumentPlaceholder"/> for the argument.</summary>
    public string LatexTemplate { get; }

    /// <summary>f(x), as pykan's torch function (NaN outside the domain, e.g. log of a negative number).</summary>
    public double Evaluate(double x) => _function(x);

    /// <summary>f'(x).</summary>
    public double Derivative(double x) => _derivative(x);

    /// <summary>
    /// f''(x) of a user function, for input Hessians through its edges (<c>KanModel.InputDerivatives</c>); the
    /// built-ins carry theirs in the kernels' dispatcher. Null (the default): second derivatives through an edge with
    /// this function throw. With a singularity threshold the same f'' is used (a user's safe variant is not known).
    /// </summary>
    public Func<double, double>? SecondDerivative { get; init; }

    /// <summary>
    /// f'''(x) of a user function, for the parameter gradient of a loss that depends on second input derivatives
    /// (the adjoint of the Hessian through its edges). Null: such gradients through an edge with this function throw.
    /// </summary>
    public Func<double, double>? ThirdDerivative { get; init; }

    /// <summary>The singularity-safe variant pykan uses with <c>singularity_avoiding=True</c> and threshold y_th.</summary>
    public double EvaluateSafe(double x, double yThreshold) => _safeFunction(x, yThreshold);

    /// <summary>The derivative of <see cref="EvaluateSafe"/> with respect to x.</summary>
    public double DerivativeSafe(double x, double yThreshold) => _safeDerivative(x, yThreshold);

    /// <summary>f applied to an expression: a call node, or the equivalent power/constant form for built-ins.</summary>
    public SymbolicExpression Apply(SymbolicExpression argument) => _apply(argument);

    /// <summary>Renders f(argument) in plain text, given the argument's text.</summary>
    public string RenderText(string argument) => TextTemplate.Replace(ArgumentPlaceholder, argument, StringComparison.Ordinal);

    /// <summary>Renders f(argument) as a C# expression, given the argument's C# text.</summary>
    public string RenderCSharp(string argument) => CSharpTemplate.Replace(ArgumentPlaceholder, argument, StringComparison.Ordinal);

    /// <summary>Renders f(argument) in LaTeX, given the argument's LaTeX.</summary>
    public string RenderLatex(string argument) => LatexTemplate.Replace(ArgumentPlaceholder, argument, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override string ToString() => Name;

    private static void CheckTemplate(string name, string template, string parameter)
    {
        if (template is null || !template.Contains(ArgumentPlaceholder, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"The template for '{name}' must contain the argument placeholder {ArgumentPlaceholder}, e.g. \"J0({{x}})\"; got \"{template}\".",
                parameter);
        }
    }
}
