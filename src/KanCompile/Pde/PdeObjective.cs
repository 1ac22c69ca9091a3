using KanCompile.Training;
using KanCompile.Training.Optimizers;

namespace KanCompile.Pde;

/// <summary>
/// The physics-informed loss and its gradient for the optimisers: <see cref="PdeLoss"/> over every collocation point,
/// through the model's input-derivative kernel and its adjoint, on the fit's worker threads with a fixed chunking
/// (<see cref="InputDerivativeLossEvaluator"/>). Remembers the best point seen, as the regression fit does, so a fit
/// that meets a non-finite loss or a cancellation can hand back the best parameters. Allocates nothing per evaluation.
/// </summary>
internal sealed class PdeObjective : IOptimizerObjective
{
    private readonly KanModel _model;
    private readonly PdeLoss _loss;
    private readonly ChunkWorkers _workers;
    private readonly InputDerivativeLossEvaluator _evaluator;
    private readonly double[] _best;
    private double[] _trainable;
    private double _bestValue = double.PositiveInfinity;

    public PdeObjective(KanModel model, PdeLoss loss, ChunkWorkers workers, double[] trainable, CancellationToken cancellationToken)
    {
        _model = model;
        _loss = loss;
        _workers = workers;
        _trainable = trainable;
        _evaluator = new InputDerivativeLossEvaluator(trainable.Length);
        _best = new double[trainable.Length];
        CancellationToken = cancellationToken;
    }

    public CancellationToken CancellationToken { get; }

    /// <summary>The loss at the last evaluation.</summary>
    public double LastValue { get; private set; }

    public bool Cancelled { get; private set; }

    public bool NonFinite { get; private set; }

    /// <summary>The vector the optimiser moves (the model's parameters, or [splines | affine] with symbolic edges).</summary>
    public double[] Trainable
    {
        get => _trainable;
        set => _trainable = value;
    }

    public bool TryEvaluate(Span<double> gradient, out double value)
    {
        if (CancellationToken.IsCancellationRequested)
        {
            Cancelled = true;
            value = double.NaN;
            return false;
        }

        gradient.Clear();
        value = _evaluator.Evaluate(_model.Kernel, _loss.Inputs, _loss.Terms[0].Points.Dimensions, _loss.Second, _loss, _trainable, _model.KnotTable, _model.MaskBuffer, gradient, _workers);
        LastValue = value;
        if (!double.IsFinite(value) || ((ReadOnlySpan<double>)gradient).IndexOfAnyExceptInRange(double.MinValue, double.MaxValue) >= 0)
        {
            NonFinite = true;
            return false;
        }

        if (value < _bestValue)
        {
            _bestValue = value;
            _trainable.CopyTo(_best, 0);
        }

        return true;
    }

    /// <summary>Forgets the best point (after a grid update or a redraw the old loss values no longer compare) and remembers the current one.</summary>
    public void ResetBest()
    {
        _trainable.CopyTo(_best, 0);
        _bestValue = double.PositiveInfinity;
    }

    public void RestoreBest(Span<double> parameters) => _best.CopyTo(parameters);
}
