namespace KanCompile.Pde;

/// <summary>
/// What a residual sees at one collocation point: the coordinates x, the solution u (output 0; <see cref="Output"/> for
/// systems), its first derivatives ∂u/∂x_i and second derivatives ∂²u/∂x_i∂x_j — exact, from the model's input-derivative
/// kernels — and, on a boundary, the outward normal.
/// </summary>
public readonly ref struct PdePoint
{
    private readonly ReadOnlySpan<double> _output;
    private readonly ReadOnlySpan<double> _jacobian;
    private readonly ReadOnlySpan<double> _hessian;
    private readonly SecondDerivatives _second;

    internal PdePoint(int index, ReadOnlySpan<double> x, ReadOnlySpan<double> normal, ReadOnlySpan<double> output, ReadOnlySpan<double> jacobian, ReadOnlySpan<double> hessian, SecondDerivatives second)
    {
        Index = index;
        X = x;
        Normal = normal;
        _output = output;
        _jacobian = jacobian;
        _hessian = hessian;
        _second = second;
    }

    /// <summary>The point's index within its term's <see cref="PdePoints"/> (for data kept per point, such as a precomputed source).</summary>
    public int Index { get; }

    /// <summary>The coordinates.</summary>
    public ReadOnlySpan<double> X { get; }

    /// <summary>The outward unit normal on a boundary; empty inside the domain.</summary>
    public ReadOnlySpan<double> Normal { get; }

    /// <summary>u(x): the model's first output.</summary>
    public double U => _output[0];

    /// <summary>∂u/∂x_i.</summary>
    public double Ux(int i) => Derivative(0, i);

    /// <summary>∂²u/∂x_i².</summary>
    public double Uxx(int i) => SecondDerivative(0, i, i);

    /// <summary>∂²u/∂x_i∂x_j (needs <see cref="SecondDerivatives.Full"/> in the problem when i ≠ j).</summary>
    public double Uxy(int i, int j) => SecondDerivative(0, i, j);

    /// <summary>Σ_i ∂²u/∂x_i² over every coordinate (leave time out yourself with <see cref="Uxx"/> where it is one).</summary>
    public double Laplacian
    {
        get
        {
            double sum = 0.0;
            for (int i = 0; i < X.Length; i++)
            {
                sum += Uxx(i);
            }

            return sum;
        }
    }

    /// <summary>Output <paramref name="output"/> (for systems of equations).</summary>
    public double Output(int output) => _output[output];

    /// <summary>∂y_o/∂x_i.</summary>
    public double Derivative(int output, int i) => _jacobian[output * X.Length + i];

    /// <summary>∂²y_o/∂x_i∂x_j.</summary>
    public double SecondDerivative(int output, int i, int j)
    {
        int n = X.Length;
        return _second switch
        {
            SecondDerivatives.Full => _hessian[(output * n + i) * n + j],
            SecondDerivatives.Diagonal when i == j => _hessian[output * n + i],
            SecondDerivatives.Diagonal => throw new InvalidOperationException(
                $"The residual reads the mixed derivative ∂²y/∂x{i}∂x{j}; set SecondDerivatives = SecondDerivatives.Full on the PdeProblem."),
            _ => throw new InvalidOperationException(
                "The residual reads a second derivative, but this term computes first derivatives only."),
        };
    }
}

/// <summary>
/// Where a residual's sensitivities go: ∂R/∂u, ∂R/∂(∂u/∂x_i) and ∂R/∂(∂²u/∂x_i∂x_j), all 0 unless set (what
/// <see cref="PdeTerm.Interior"/>'s optional sensitivity callback fills in; without it they are derived by central
/// differences of the residual).
/// </summary>
public readonly ref struct PdeSensitivity
{
    private readonly Span<double> _output;
    private readonly Span<double> _jacobian;
    private readonly Span<double> _hessian;
    private readonly SecondDerivatives _second;
    private readonly int _inputs;

    internal PdeSensitivity(int inputs, Span<double> output, Span<double> jacobian, Span<double> hessian, SecondDerivatives second)
    {
        _inputs = inputs;
        _output = output;
        _jacobian = jacobian;
        _hessian = hessian;
        _second = second;
    }

    /// <summary>Sets ∂R/∂u.</summary>
    public void SetU(double value) => _output[0] = value;

    /// <summary>Sets ∂R/∂(∂u/∂x_i).</summary>
    public void SetUx(int i, double value) => _jacobian[i] = value;

    /// <summary>Sets ∂R/∂(∂²u/∂x_i²).</summary>
    public void SetUxx(int i, double value) => SetSecondDerivative(0, i, i, value);

    /// <summary>Sets ∂R/∂(∂²u/∂x_i∂x_j), the entry at (i, j) (set (j, i) too when the residual reads both).</summary>
    public void SetUxy(int i, int j, double value) => SetSecondDerivative(0, i, j, value);

    /// <summary>Sets ∂R/∂y_o.</summary>
    public void SetOutput(int output, double value) => _output[output] = value;

    /// <summary>Sets ∂R/∂(∂y_o/∂x_i).</summary>
    public void SetDerivative(int output, int i, double value) => _jacobian[output * _inputs + i] = value;

    /// <summary>Sets ∂R/∂(∂²y_o/∂x_i∂x_j).</summary>
    public void SetSecondDerivative(int output, int i, int j, double value)
    {
        if (_second == SecondDerivatives.Full)
        {
            _hessian[(output * _inputs + i) * _inputs + j] = value;
        }
        else if (_second == SecondDerivatives.Diagonal && i == j)
        {
            _hessian[output * _inputs + i] = value;
        }
        else
        {
            throw new InvalidOperationException(
                $"A sensitivity to ∂²y/∂x{i}∂x{j} needs SecondDerivatives.{(i == j ? "Diagonal" : "Full")} on the PdeProblem.");
        }
    }
}

/// <summary>A residual R(x, u, ∇u, ∇²u) at one point: 0 where the equation or condition holds.</summary>
public delegate double PdeResidual(in PdePoint point);

/// <summary>Writes the residual's sensitivities to u and its derivatives at one point (optional: derived by central differences otherwise).</summary>
public delegate void PdeResidualSensitivity(in PdePoint point, PdeSensitivity sensitivity);

/// <summary>A function of the coordinates (boundary values, initial data, exact solutions).</summary>
public delegate double PdeFunction(ReadOnlySpan<double> x);
