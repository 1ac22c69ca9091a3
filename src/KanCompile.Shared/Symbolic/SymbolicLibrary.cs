using System.Collections;

namespace KanCompile.Symbolic;

/// <summary>
/// An immutable, ordered set of <see cref="SymbolicFunction"/>s looked up by name: pykan's <c>SYMBOLIC_LIB</c>
/// (<see cref="Default"/>), a subset (<see cref="Create"/>), or either extended with user functions
/// (<see cref="AddSymbolic(string, Func{double, double}, Func{double, double}, int, string, string, string, Func{double, double, double}?, Func{double, double, double}?)"/>).
/// The order matters: <see cref="SymbolicFit.SuggestSymbolic"/> breaks loss ties by it, as pykan does.
/// </summary>
public sealed class SymbolicLibrary : IReadOnlyList<SymbolicFunction>
{
    private readonly SymbolicFunction[] _functions;
    private readonly Dictionary<string, SymbolicFunction> _byName;

    private SymbolicLibrary(SymbolicFunction[] functions)
    {
        _functions = functions;
        _byName = new Dictionary<string, SymbolicFunction>(StringComparer.Ordinal);
        foreach (var function in functions)
        {
            if (!_byName.TryAdd(function.Name, function))
            {
                throw new ArgumentException($"The symbolic library already contains a function named '{function.Name}'; names must be unique.");
            }
        }
    }

    /// <summary>
    /// All of pykan's entries in pykan's order: x, x^2, x^3, x^4, x^5, 1/x, 1/x^2, 1/x^3, 1/x^4, 1/x^5, sqrt, x^0.5,
    /// x^1.5, 1/sqrt(x), 1/x^0.5, exp, log, abs, sin, cos, tan, tanh, sgn, arcsin, arccos, arctan, arctanh, 0, gaussian.
    /// </summary>
    public static SymbolicLibrary Default { get; } = new(BuiltInSymbolicFunctions.All.ToArray());

    /// <summary>The names, in library order.</summary>
    public IReadOnlyList<string> Names => _functions.Select(f => f.Name).ToArray();

    /// <summary>The number of functions.</summary>
    public int Count => _functions.Length;

    /// <summary>The function at <paramref name="index"/> in library order.</summary>
    public SymbolicFunction this[int index] => _functions[index];

    /// <summary>The function named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such name; the message lists the valid names.</exception>
    public SymbolicFunction this[string name] => Get(name);

    /// <summary>A subset of <see cref="Default"/> in the given order, like pykan's <c>lib=[...]</c>.</summary>
    /// <exception cref="KeyNotFoundException">A name is not in the default library.</exception>
    public static SymbolicLibrary Create(params string[] names) => Default.Subset(names);

    /// <summary>A subset of this library in the given order.</summary>
    /// <exception cref="KeyNotFoundException">A name is not in this library.</exception>
    public SymbolicLibrary Subset(IEnumerable<string> names) => new(names.Select(Get).ToArray());

    /// <summary>The function named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such name; the message lists the valid names.</exception>
    public SymbolicFunction Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_byName.TryGetValue(name, out var function))
        {
            return function;
        }

        throw new KeyNotFoundException(
            $"'{name}' is not in the symbolic library. Valid names: {string.Join(", ", _functions.Select(f => f.Name))}. " +
            "Register your own function with SymbolicLibrary.AddSymbolic.");
    }

    /// <summary>Looks up <paramref name="name"/> without throwing.</summary>
    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SymbolicFunction? function) =>
        _byName.TryGetValue(name, out function);

    /// <summary>Whether the library has a function named <paramref name="name"/>.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>A new library with <paramref name="function"/> appended (pykan's <c>add_symbolic</c>).</summary>
    /// <exception cref="ArgumentException">The name is already taken.</exception>
    public SymbolicLibrary AddSymbolic(SymbolicFunction function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return new SymbolicLibrary([.. _functions, function]);
    }

    /// <summary>
    /// A new library with a user function appended (pykan's <c>add_symbolic</c>). Templates use <c>{x}</c> for the
    /// argument, e.g. text <c>"J0({x})"</c>, C# <c>"MyMath.J0({x})"</c>, LaTeX <c>"J_0\left({x}\right)"</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The name is already taken, or a template lacks <c>{x}</c>.</exception>
    public SymbolicLibrary AddSymbolic(
        string name,
        Func<double, double> function,
        Func<double, double> derivative,
        int complexity,
        string textTemplate,
        string csharpTemplate,
        string latexTemplate,
        Func<double, double, double>? safeFunction = null,
        Func<double, double, double>? safeDerivative = null) =>
        AddSymbolic(new SymbolicFunction(name, function, derivative, complexity, textTemplate, csharpTemplate, latexTemplate, safeFunction, safeDerivative));

    /// <inheritdoc/>
    public IEnumerator<SymbolicFunction> GetEnumerator() => ((IEnumerable<SymbolicFunction>)_functions).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
