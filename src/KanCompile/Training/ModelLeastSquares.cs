using KanCompile.Compilation;
using KanCompile.Numerics;

namespace KanCompile.Training;

/// <summary>
/// A model's squared error over a batch as a least-squares problem of the vector a fit trains (the spline
/// parameters, or [splines | (a, b, c, d) of every edge] while symbolic edges are live). Each Jacobian row is one
/// backward pass with the unit output gradient, so it holds for every kernel the model can run: plain,
/// multiplication nodes, symbolic and mixed edges.
/// </summary>
internal sealed class ModelLeastSquares : ILeastSquaresProblem
{
    private readonly KanModel _model;
    private readonly double[] _parameters;
    private readonly double[] _outputs;
    private readonly double[] _unitGradient;
    private readonly FrozenParameters _frozen;
    private ReadOnlyMemory<double> _inputs;
    private ReadOnlyMemory<double> _labels;
    private int _count;

    // frozen: parameter groups whose Jacobian columns are zero, so the solver leaves them unchanged.
    public ModelLeastSquares(KanModel model, int parameterCount, int maxCount, FrozenParameters frozen = default)
    {
        _frozen = frozen;
        _model = model;
        _parameters = new double[parameterCount];
        _outputs = new double[maxCount * model.OutputCount];
        _unitGradient = new double[model.OutputCount];
    }

    public int ParameterCount => _parameters.Length;

    public int ResidualCount => _count * _model.OutputCount;

    /// <summary>The parameters being solved for (read after a solve).</summary>
    public ReadOnlySpan<double> Parameters => _parameters;

    /// <summary>Starts from <paramref name="parameters"/> on a batch of row-major samples.</summary>
    public void Bind(ReadOnlySpan<double> parameters, ReadOnlyMemory<double> inputs, ReadOnlyMemory<double> labels, int count)
    {
        if (parameters.Length != _parameters.Length)
        {
            throw new InvalidOperationException($"The model now has {parameters.Length} trainable values; this fit started with {_parameters.Length}.");
        }

        parameters.CopyTo(_parameters);
        _inputs = inputs;
        _labels = labels;
        _count = count;
    }

    public void ReadParameters(Span<double> destination) => _parameters.CopyTo(destination);

    public void WriteParameters(ReadOnlySpan<double> source) => source.CopyTo(_parameters);

    public double Cost()
    {
        Span<double> outputs = Predict();
        ReadOnlySpan<double> labels = _labels.Span;
        double sum = 0.0;
        for (int r = 0; r < outputs.Length; r++)
        {
            double error = outputs[r] - labels[r];
            sum += error * error;
        }

        return double.IsFinite(sum) ? sum : double.PositiveInfinity;
    }

    public void Linearize(Span<double> jacobian, Span<double> residuals)
    {
        Span<double> outputs = Predict();
        ReadOnlySpan<double> inputs = _inputs.Span, labels = _labels.Span;
        KanKernel kernel = _model.Kernel;
        int inputCount = _model.InputCount, outputCount = _model.OutputCount, p = _parameters.Length;
        jacobian.Slice(0, ResidualCount * p).Clear();
        for (int s = 0; s < _count; s++)
        {
            ReadOnlySpan<double> input = inputs.Slice(s * inputCount, inputCount);
            for (int o = 0; o < outputCount; o++)
            {
                int row = s * outputCount + o;
                residuals[row] = outputs[row] - labels[row];

                // dL/dy = e_o makes the parameter gradient the row ∂y_o/∂θ.
                _unitGradient[o] = 1.0;
                kernel.Backward(input, _unitGradient, targetIsLabel: false, scale: 1.0, _parameters, _model.KnotTable, _model.MaskBuffer, jacobian.Slice(row * p, p), default, default);
                _unitGradient[o] = 0.0;
                if (_frozen.Any)
                {
                    _frozen.Clear(_model.Layout, jacobian.Slice(row * p, p));
                }
            }
        }
    }

    private Span<double> Predict()
    {
        Span<double> outputs = _outputs.AsSpan(0, ResidualCount);
        _model.Kernel.ForwardBatch(_inputs.Span, outputs, _count, _parameters, _model.KnotTable, _model.MaskBuffer);
        return outputs;
    }
}
