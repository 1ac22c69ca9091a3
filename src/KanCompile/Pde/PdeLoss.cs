using KanCompile.Compilation;

namespace KanCompile.Pde;

/// <summary>
/// The physics-informed loss over every term's points, as one <see cref="InputDerivativeLoss"/> on the concatenated
/// collocation set: sample s of term t contributes c_t·R_s² with c_t = weight_t / (points of t), and its sensitivities
/// 2·c_t·R_s·∂R_s/∂(y, ∇y, ∇²y). Sensitivities a term does not supply are central differences of its residual in each of
/// the values it is given (a few evaluations of a scalar function: the network derivatives themselves stay exact).
/// In <see cref="ResidualRows"/> mode it returns √c_t·R_s with sensitivities √c_t·∂R_s, so the gradient of one sample is
/// its row of the residual Jacobian (for Levenberg–Marquardt).
/// </summary>
internal sealed class PdeLoss : InputDerivativeLoss
{
    private readonly PdeProblem _problem;
    private readonly int _inputs;
    private readonly int _outputs;
    private PdeTerm[] _terms;
    private int[] _termOf = [];
    private int[] _starts = [];
    private double[] _scales = [];
    private double[] _squares = [];

    public PdeLoss(PdeProblem problem, int outputs)
    {
        _problem = problem;
        _inputs = problem.Dimensions;
        _outputs = outputs;
        _terms = problem.Terms.ToArray();
        Bind(_terms);
    }

    /// <summary>Returns √c·R with √c·∂R sensitivities (Jacobian rows) instead of c·R² with its gradient.</summary>
    public bool ResidualRows { get; set; }

    public SecondDerivatives Second => _problem.SecondDerivatives;

    /// <summary>All collocation points, term after term, row-major.</summary>
    public double[] Inputs { get; private set; } = [];

    public int Count => _termOf.Length;

    public IReadOnlyList<PdeTerm> Terms => _terms;

    /// <summary>Points that drive grid updates: the interior terms' (all points when there is none).</summary>
    public double[] GridSamples { get; private set; } = [];

    /// <summary>Replaces the terms' points (after resampling).</summary>
    public void Bind(PdeTerm[] terms)
    {
        _terms = terms;
        int total = terms.Sum(t => t.Points.Count);
        Inputs = new double[total * _inputs];
        _termOf = new int[total];
        _starts = new int[terms.Length + 1];
        _scales = new double[terms.Length];
        _squares = new double[total];
        var interior = new List<double>();
        int offset = 0;
        for (int t = 0; t < terms.Length; t++)
        {
            PdePoints points = terms[t].Points;
            _starts[t] = offset;
            _scales[t] = terms[t].Weight / points.Count;
            points.Coordinates.CopyTo(Inputs.AsSpan(offset * _inputs));
            _termOf.AsSpan(offset, points.Count).Fill(t);
            if (terms[t].IsInterior)
            {
                interior.AddRange(points.CoordinateArray);
            }

            offset += points.Count;
        }

        _starts[terms.Length] = offset;
        GridSamples = interior.Count > 0 ? interior.ToArray() : Inputs;
    }

    /// <summary>Mean of R² over term <paramref name="term"/>'s points at the last evaluation (unweighted).</summary>
    public double MeanSquaredResidual(int term)
    {
        double sum = 0.0;
        for (int s = _starts[term]; s < _starts[term + 1]; s++)
        {
            sum += _squares[s];
        }

        return sum / (_starts[term + 1] - _starts[term]);
    }

    public override double Evaluate(int sample, ReadOnlySpan<double> input, ReadOnlySpan<double> output, ReadOnlySpan<double> jacobian, ReadOnlySpan<double> hessian, Span<double> outputSensitivity, Span<double> jacobianSensitivity, Span<double> hessianSensitivity)
    {
        int t = _termOf[sample];
        PdeTerm term = _terms[t];
        int index = sample - _starts[t];
        ReadOnlySpan<double> normal = term.Points.Normals.IsEmpty ? default : term.Points.Normals.Slice(index * _inputs, _inputs);
        var point = new PdePoint(index, input, normal, output, jacobian, hessian, Second);
        double r = Residual(term, in point);
        var sensitivity = new PdeSensitivity(_inputs, outputSensitivity, jacobianSensitivity, hessianSensitivity, Second);
        if (!term.TrySensitivity(in point, sensitivity))
        {
            DeriveSensitivity(term, index, input, normal, output, jacobian, hessian, outputSensitivity, jacobianSensitivity, hessianSensitivity);
        }

        _squares[sample] = r * r;
        double scale = ResidualRows ? Math.Sqrt(_scales[t]) : 2.0 * _scales[t] * r;
        outputSensitivity.Slice(0, _outputs).Multiply(scale);
        jacobianSensitivity.Multiply(scale);
        hessianSensitivity.Multiply(scale);
        return ResidualRows ? Math.Sqrt(_scales[t]) * r : _scales[t] * r * r;
    }

    /// <summary>R at one point; a non-finite R where the model's values are finite is the residual's fault and says so.</summary>
    private double Residual(PdeTerm term, in PdePoint point)
    {
        double r = term.Residual(in point);
        if (!double.IsFinite(r) && AllFinite(in point))
        {
            throw new InvalidOperationException(
                $"The residual of term '{term.Name}' returned {r} at point {point.Index} (x = {Describe(point.X)}) although the model's values there are finite "
                + $"(u = {point.U}); check the residual for a division by zero or a function outside its domain.");
        }

        return r;
    }

    /// <summary>Central differences of R in each value it is given, with steps of 1e-6 relative to the value's size.</summary>
    private void DeriveSensitivity(PdeTerm term, int index, ReadOnlySpan<double> input, ReadOnlySpan<double> normal, ReadOnlySpan<double> output, ReadOnlySpan<double> jacobian, ReadOnlySpan<double> hessian, Span<double> outputSensitivity, Span<double> jacobianSensitivity, Span<double> hessianSensitivity)
    {
        int length = output.Length + jacobian.Length + hessian.Length;
        Span<double> values = length <= 256 ? stackalloc double[length] : new double[length];
        output.CopyTo(values);
        jacobian.CopyTo(values.Slice(output.Length));
        hessian.CopyTo(values.Slice(output.Length + jacobian.Length));
        for (int k = 0; k < length; k++)
        {
            double keep = values[k];
            double step = 1e-6 * Math.Max(1.0, Math.Abs(keep));
            values[k] = keep + step;
            double up = term.Residual(View(index, input, normal, values, output.Length, jacobian.Length));
            values[k] = keep - step;
            double down = term.Residual(View(index, input, normal, values, output.Length, jacobian.Length));
            values[k] = keep;
            double derivative = (up - down) / (2.0 * step);
            if (k < output.Length)
            {
                outputSensitivity[k] = derivative;
            }
            else if (k < output.Length + jacobian.Length)
            {
                jacobianSensitivity[k - output.Length] = derivative;
            }
            else
            {
                hessianSensitivity[k - output.Length - jacobian.Length] = derivative;
            }
        }
    }

    private PdePoint View(int index, ReadOnlySpan<double> input, ReadOnlySpan<double> normal, ReadOnlySpan<double> values, int outputs, int jacobian) =>
        new(index, input, normal, values.Slice(0, outputs), values.Slice(outputs, jacobian), values.Slice(outputs + jacobian), Second);

    private bool AllFinite(in PdePoint point)
    {
        for (int o = 0; o < _outputs; o++)
        {
            if (!double.IsFinite(point.Output(o)))
            {
                return false;
            }
        }

        return true;
    }

    private static string Describe(ReadOnlySpan<double> x) => "(" + string.Join(", ", x.ToArray().Select(v => v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture))) + ")";
}

/// <summary>Scaling spans in place without a vector width that depends on the machine (each entry is one multiplication).</summary>
internal static class SpanScaling
{
    public static void Multiply(this Span<double> values, double factor)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] *= factor;
        }
    }
}
