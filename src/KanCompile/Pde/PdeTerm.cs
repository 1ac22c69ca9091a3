namespace KanCompile.Pde;

/// <summary>
/// One term of a physics-informed loss: a residual enforced at a set of points, weighted. The loss is
/// Σ_terms weight · mean over the term's points of R², pykan's α·(interior) + (boundary) with α = the interior weight.
/// Make terms with <see cref="Interior"/> (the equation), <see cref="Dirichlet"/> (u = g), <see cref="Neumann"/>
/// (∂u/∂n = h) and <see cref="Condition"/> (any other residual on part of the domain, such as an initial velocity).
/// </summary>
public sealed class PdeTerm
{
    private readonly PdeResidual? _residual;
    private readonly PdeResidualSensitivity? _sensitivity;
    private readonly PdeFunction? _value;
    private readonly double[]? _targets;

    private PdeTerm(string name, Kind kind, PdePoints points, double weight, PdeResidual? residual, PdeResidualSensitivity? sensitivity, PdeFunction? value, int output)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("A loss term needs a name (it appears in progress reports and errors).", nameof(name));
        }

        if (!double.IsFinite(weight) || weight < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, $"The weight of term '{name}' must be finite and not negative.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(output);
        Name = name;
        TermKind = kind;
        Points = points;
        Weight = weight;
        Output = output;
        _residual = residual;
        _sensitivity = sensitivity;
        _value = value;
        if (kind == Kind.Neumann && points.Normals.IsEmpty)
        {
            throw new ArgumentException($"The Neumann term '{name}' needs points with outward normals: make them with Collocation.BoundaryMesh or BoundaryUniform, or pass normals to Collocation.FromPoints.", nameof(points));
        }

        if (value is not null)
        {
            _targets = new double[points.Count];
            for (int p = 0; p < points.Count; p++)
            {
                _targets[p] = value(points[p]);
                if (!double.IsFinite(_targets[p]))
                {
                    throw new ArgumentException($"The value of term '{name}' is {_targets[p]} at point {p} ({string.Join(", ", points[p].ToArray())}); it must be finite.", nameof(value));
                }
            }
        }
    }

    private enum Kind
    {
        Residual,
        Dirichlet,
        Neumann,
    }

    /// <summary>The name progress reports and errors use.</summary>
    public string Name { get; }

    /// <summary>Where the term is enforced.</summary>
    public PdePoints Points { get; }

    /// <summary>The term's weight in the loss (pykan's α on the interior term).</summary>
    public double Weight { get; }

    /// <summary>The output the condition constrains (Dirichlet and Neumann terms; 0 for scalar PDEs).</summary>
    public int Output { get; }

    /// <summary>Whether this is the equation's interior term (its points drive grid updates and refinement).</summary>
    public bool IsInterior { get; private init; }

    private Kind TermKind { get; }

    /// <summary>The PDE's residual R(x, u, ∇u, ∇²u) at <paramref name="points"/>, with sensitivities supplied or (when null) derived by central differences.</summary>
    public static PdeTerm Interior(PdePoints points, PdeResidual residual, double weight = 1.0, PdeResidualSensitivity? sensitivity = null, string name = "interior")
    {
        ArgumentNullException.ThrowIfNull(residual);
        return new PdeTerm(name, Kind.Residual, points, weight, residual, sensitivity, null, 0) { IsInterior = true };
    }

    /// <summary>Any other residual on part of the domain (an initial velocity, a Robin condition), with optional sensitivities.</summary>
    public static PdeTerm Condition(PdePoints points, PdeResidual residual, double weight = 1.0, PdeResidualSensitivity? sensitivity = null, string name = "condition")
    {
        ArgumentNullException.ThrowIfNull(residual);
        return new PdeTerm(name, Kind.Residual, points, weight, residual, sensitivity, null, 0);
    }

    /// <summary>The Dirichlet (or initial-value) condition y_output = g(x): R = y − g(x).</summary>
    public static PdeTerm Dirichlet(PdePoints points, PdeFunction value, double weight = 1.0, string name = "dirichlet", int output = 0)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new PdeTerm(name, Kind.Dirichlet, points, weight, null, null, value, output);
    }

    /// <summary>The Neumann condition ∂y_output/∂n = h(x) with the points' outward normals n: R = n·∇y − h(x).</summary>
    public static PdeTerm Neumann(PdePoints points, PdeFunction value, double weight = 1.0, string name = "neumann", int output = 0)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new PdeTerm(name, Kind.Neumann, points, weight, null, null, value, output);
    }

    /// <summary>The same term on other points (a resampled set): boundary values are evaluated afresh.</summary>
    public PdeTerm WithPoints(PdePoints points) =>
        new(Name, TermKind, points, Weight, _residual, _sensitivity, _value, Output) { IsInterior = IsInterior };

    /// <summary>The highest output index the term reads by construction (user residuals are checked when they run).</summary>
    internal int DeclaredOutput => Output;

    /// <summary>R at one point.</summary>
    internal double Residual(in PdePoint point)
    {
        switch (TermKind)
        {
            case Kind.Dirichlet:
                return point.Output(Output) - _targets![point.Index];
            case Kind.Neumann:
                double flux = 0.0;
                for (int i = 0; i < point.X.Length; i++)
                {
                    flux += point.Normal[i] * point.Derivative(Output, i);
                }

                return flux - _targets![point.Index];
            default:
                return _residual!(in point);
        }
    }

    /// <summary>Writes the sensitivities when they are known exactly (conditions, or supplied); false when they must be derived.</summary>
    internal bool TrySensitivity(in PdePoint point, PdeSensitivity sensitivity)
    {
        switch (TermKind)
        {
            case Kind.Dirichlet:
                sensitivity.SetOutput(Output, 1.0);
                return true;
            case Kind.Neumann:
                for (int i = 0; i < point.X.Length; i++)
                {
                    sensitivity.SetDerivative(Output, i, point.Normal[i]);
                }

                return true;
            default:
                if (_sensitivity is null)
                {
                    return false;
                }

                _sensitivity(in point, sensitivity);
                return true;
        }
    }
}
