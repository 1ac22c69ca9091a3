using System.Numerics.Tensors;
using KanCompile.Numerics;

namespace KanCompile.Training.Optimizers;

/// <summary>
/// L-BFGS as pykan's <c>kan/LBFGS.py</c> (torch.optim.LBFGS plus <c>tolerance_ys</c>) with
/// <c>line_search_fn="strong_wolfe"</c>, configured as <c>MultKAN.fit</c> does: lr 1, history 10, max_iter 20,
/// max_eval 25, tolerance_grad = tolerance_change = tolerance_ys = 1e-32. One <see cref="Step"/> is one
/// <c>optimizer.step(closure)</c>; the curvature history, direction and step persist across steps, as the
/// torch optimiser's state does within one fit. All buffers are allocated up front. Dot products and norms go
/// through <see cref="FixedOrderSum"/>, so a fit gives the same bits on every x64 host (elementwise TensorPrimitives
/// calls are exact per element and stay).
/// </summary>
internal sealed class LbfgsOptimizer : IFitOptimizer
{
    private const int HistorySize = 10;
    private const int MaxIterations = 20;
    private const int MaxEvaluations = 25;
    private const double ToleranceGrad = 1e-32;
    private const double ToleranceChange = 1e-32;
    private const double ToleranceYs = 1e-32;

    // torch calls _strong_wolfe without passing the optimiser's tolerance_change, so the line search keeps its default.
    private const double LineSearchToleranceChange = 1e-9;
    private const double C1 = 1e-4;
    private const double C2 = 0.9;
    private const int MaxLineSearch = 25;

    private readonly double _learningRate;
    private readonly double[] _flatGrad;
    private readonly double[] _prevFlatGrad;
    private readonly double[] _direction;
    private readonly double[] _start;
    private double[] _y;
    private double[] _s;
    private readonly double[][] _oldDirs;
    private readonly double[][] _oldSteps;
    private readonly double[] _ro = new double[HistorySize];
    private readonly double[] _al = new double[HistorySize];

    // Line-search buffers: gradient at the start, at the previous and the new trial, and at the two bracket ends.
    private readonly double[] _lineStartGrad;
    private readonly double[] _linePrevGrad;
    private readonly double[] _lineNewGrad;
    private readonly double[][] _bracketGrad;
    private readonly double[] _bracket = new double[2];
    private readonly double[] _bracketF = new double[2];
    private readonly double[] _bracketGtd = new double[2];

    private int _historyStart;
    private int _historyCount;
    private double _hDiag = 1.0;
    private double _t;
    private long _iterations;

    public LbfgsOptimizer(int parameterCount, double learningRate)
    {
        _learningRate = learningRate;
        _flatGrad = new double[parameterCount];
        _prevFlatGrad = new double[parameterCount];
        _direction = new double[parameterCount];
        _start = new double[parameterCount];
        _y = new double[parameterCount];
        _s = new double[parameterCount];
        _oldDirs = new double[HistorySize][];
        _oldSteps = new double[HistorySize][];
        for (int h = 0; h < HistorySize; h++)
        {
            _oldDirs[h] = new double[parameterCount];
            _oldSteps[h] = new double[parameterCount];
        }

        _lineStartGrad = new double[parameterCount];
        _linePrevGrad = new double[parameterCount];
        _lineNewGrad = new double[parameterCount];
        _bracketGrad = new[] { new double[parameterCount], new double[parameterCount] };
    }

    /// <summary>Objective evaluations since creation (torch's <c>func_evals</c>).</summary>
    public long Evaluations { get; private set; }

    /// <summary>Iterations since creation (torch's <c>n_iter</c>).</summary>
    public long Iterations => _iterations;

    public bool Step(Span<double> parameters, IOptimizerObjective objective)
    {
        if (parameters.Length != _flatGrad.Length)
        {
            throw new InvalidOperationException($"The model now has {parameters.Length} parameters; the optimiser was built for {_flatGrad.Length}.");
        }

        if (!Evaluate(objective, _flatGrad, out double loss))
        {
            return false;
        }

        int currentEvaluations = 1;
        if (Math.Abs(TensorPrimitives.MaxMagnitude(_flatGrad)) <= ToleranceGrad)
        {
            return true;
        }

        int iteration = 0;
        while (iteration < MaxIterations)
        {
            iteration++;
            _iterations++;
            if (_iterations == 1)
            {
                TensorPrimitives.Negate(_flatGrad, _direction);
                _historyStart = 0;
                _historyCount = 0;
                _hDiag = 1.0;
            }
            else
            {
                UpdateHistory();
                ComputeDirection();
            }

            _flatGrad.CopyTo(_prevFlatGrad, 0);
            double previousLoss = loss;

            // The first iteration ever takes a step of at most 1/|g|_1 (torch's reset of the initial guess).
            double t = _iterations == 1
                ? Math.Min(1.0, 1.0 / FixedOrderSum.SumOfMagnitudes(_flatGrad)) * _learningRate
                : _learningRate;
            _t = t; // torch saves this t in its state even when it stops before the line search

            double gtd = FixedOrderSum.Dot(_flatGrad, _direction);
            if (gtd > -ToleranceChange)
            {
                break;
            }

            parameters.CopyTo(_start);
            if (!StrongWolfe(parameters, objective, ref t, loss, gtd, out loss, out int lineEvaluations))
            {
                _start.CopyTo(parameters);
                return false;
            }

            _t = t;
            MoveFromStart(parameters, t);
            bool optimal = Math.Abs(TensorPrimitives.MaxMagnitude(_flatGrad)) <= ToleranceGrad;
            currentEvaluations += lineEvaluations;

            if (iteration == MaxIterations || currentEvaluations >= MaxEvaluations || optimal)
            {
                break;
            }

            // Lack of progress: max |t·d| (= |t|·max |d| exactly, rounding is monotone) or the change of loss.
            if (Math.Abs(t) * Math.Abs(TensorPrimitives.MaxMagnitude(_direction)) <= ToleranceChange || Math.Abs(loss - previousLoss) < ToleranceChange)
            {
                break;
            }
        }

        return true;
    }

    /// <summary>Adds the pair (y, s) = (g − g_prev, t·d) to the history when yᵀs &gt; tolerance_ys.</summary>
    private void UpdateHistory()
    {
        TensorPrimitives.Subtract(_flatGrad, _prevFlatGrad, _y);
        TensorPrimitives.Multiply(_direction, _t, _s);
        double ys = FixedOrderSum.Dot(_y, _s);
        if (!(ys > ToleranceYs))
        {
            return;
        }

        if (_historyCount == HistorySize)
        {
            _historyStart = (_historyStart + 1) % HistorySize;
            _historyCount--;
        }

        // Swap the new pair into the ring slot (the slot's old arrays become scratch): no copy, no allocation.
        int slot = (_historyStart + _historyCount) % HistorySize;
        (_oldDirs[slot], _y) = (_y, _oldDirs[slot]);
        (_oldSteps[slot], _s) = (_s, _oldSteps[slot]);
        _ro[slot] = 1.0 / ys;
        _historyCount++;
        _hDiag = ys / FixedOrderSum.Dot(_oldDirs[slot], _oldDirs[slot]);
    }

    /// <summary>The two-loop recursion: d = −H·g with the stored pairs and H₀ = H_diag·I.</summary>
    private void ComputeDirection()
    {
        Span<double> q = _direction;
        TensorPrimitives.Negate(_flatGrad, q);
        for (int i = _historyCount - 1; i >= 0; i--)
        {
            int slot = (_historyStart + i) % HistorySize;
            _al[i] = FixedOrderSum.Dot(_oldSteps[slot], q) * _ro[slot];
            AddScaled(q, _oldDirs[slot], -_al[i]);
        }

        TensorPrimitives.Multiply(q, _hDiag, q);
        for (int i = 0; i < _historyCount; i++)
        {
            int slot = (_historyStart + i) % HistorySize;
            double beta = FixedOrderSum.Dot(_oldDirs[slot], q) * _ro[slot];
            AddScaled(q, _oldSteps[slot], _al[i] - beta);
        }
    }

    /// <summary>
    /// torch's <c>_strong_wolfe</c> from the start point (parameters = <see cref="_start"/>), direction d, initial
    /// step <paramref name="t"/>, loss <paramref name="f"/> and gradient <see cref="_flatGrad"/>. On return the
    /// parameters are back at the start, <paramref name="t"/> is the chosen step and <see cref="_flatGrad"/> the
    /// gradient there.
    /// </summary>
    private bool StrongWolfe(Span<double> parameters, IOptimizerObjective objective, ref double t, double f, double gtd, out double fChosen, out int evaluations)
    {
        double[] d = _direction;
        double dNorm = Math.Abs(TensorPrimitives.MaxMagnitude(d));
        _flatGrad.CopyTo(_lineStartGrad, 0);
        fChosen = f;
        evaluations = 0;
        if (!Directional(parameters, objective, t, out double fNew))
        {
            return false;
        }

        evaluations = 1;
        double gtdNew = FixedOrderSum.Dot(_lineNewGrad, d);
        double tPrev = 0.0, fPrev = f, gtdPrev = gtd;
        double[] gPrev = _lineStartGrad;
        bool done = false;
        int bracketLength = 0;
        int lineIteration = 0;
        while (lineIteration < MaxLineSearch)
        {
            if (fNew > f + C1 * t * gtd || (lineIteration > 1 && fNew >= fPrev))
            {
                SetBracket(tPrev, fPrev, gPrev, gtdPrev, t, fNew, _lineNewGrad, gtdNew);
                bracketLength = 2;
                break;
            }

            if (Math.Abs(gtdNew) <= -C2 * gtd)
            {
                _bracket[0] = t;
                _bracketF[0] = fNew;
                _lineNewGrad.CopyTo(_bracketGrad[0], 0);
                bracketLength = 1;
                done = true;
                break;
            }

            if (gtdNew >= 0)
            {
                SetBracket(tPrev, fPrev, gPrev, gtdPrev, t, fNew, _lineNewGrad, gtdNew);
                bracketLength = 2;
                break;
            }

            // Extrapolate by cubic interpolation within [t + 0.01(t − t_prev), 10t].
            double minStep = t + 0.01 * (t - tPrev);
            double maxStep = t * 10;
            double previous = t;
            t = CubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, minStep, maxStep);
            tPrev = previous;
            fPrev = fNew;
            _lineNewGrad.CopyTo(_linePrevGrad, 0);
            gPrev = _linePrevGrad;
            gtdPrev = gtdNew;
            if (!Directional(parameters, objective, t, out fNew))
            {
                return false;
            }

            evaluations++;
            gtdNew = FixedOrderSum.Dot(_lineNewGrad, d);
            lineIteration++;
        }

        if (lineIteration == MaxLineSearch)
        {
            // torch leaves bracket_gtd unset here; the zoom loop below cannot run (its guard is the same count).
            _bracket[0] = 0.0;
            _bracket[1] = t;
            _bracketF[0] = f;
            _bracketF[1] = fNew;
            _lineStartGrad.CopyTo(_bracketGrad[0], 0);
            _lineNewGrad.CopyTo(_bracketGrad[1], 0);
            bracketLength = 2;
        }

        // Zoom: shrink the bracket until a point satisfies the strong Wolfe conditions.
        bool insufficientProgress = false;
        int low = _bracketF[0] <= _bracketF[bracketLength - 1] ? 0 : 1, high = 1 - low;
        while (!done && lineIteration < MaxLineSearch)
        {
            if (Math.Abs(_bracket[1] - _bracket[0]) * dNorm < LineSearchToleranceChange)
            {
                break;
            }

            t = CubicInterpolate(_bracket[0], _bracketF[0], _bracketGtd[0], _bracket[1], _bracketF[1], _bracketGtd[1]);

            // Keep the trial at least 10% of the bracket away from its ends when progress stalls.
            double upper = Math.Max(_bracket[0], _bracket[1]), lower = Math.Min(_bracket[0], _bracket[1]);
            double eps = 0.1 * (upper - lower);
            if (Math.Min(upper - t, t - lower) < eps)
            {
                if (insufficientProgress || t >= upper || t <= lower)
                {
                    t = Math.Abs(t - upper) < Math.Abs(t - lower) ? upper - eps : lower + eps;
                    insufficientProgress = false;
                }
                else
                {
                    insufficientProgress = true;
                }
            }
            else
            {
                insufficientProgress = false;
            }

            if (!Directional(parameters, objective, t, out fNew))
            {
                return false;
            }

            evaluations++;
            gtdNew = FixedOrderSum.Dot(_lineNewGrad, d);
            lineIteration++;
            if (fNew > f + C1 * t * gtd || fNew >= _bracketF[low])
            {
                // Armijo fails or no lower than the lowest point: the trial becomes the high end.
                SetEnd(high, t, fNew, _lineNewGrad, gtdNew);
                (low, high) = _bracketF[0] <= _bracketF[1] ? (0, 1) : (1, 0);
            }
            else
            {
                if (Math.Abs(gtdNew) <= -C2 * gtd)
                {
                    done = true;
                }
                else if (gtdNew * (_bracket[high] - _bracket[low]) >= 0)
                {
                    // The old low end becomes the high end.
                    SetEnd(high, _bracket[low], _bracketF[low], _bracketGrad[low], _bracketGtd[low]);
                }

                SetEnd(low, t, fNew, _lineNewGrad, gtdNew);
            }
        }

        t = _bracket[low];
        fChosen = _bracketF[low];
        _bracketGrad[low].CopyTo(_flatGrad, 0);
        return true;
    }

    private void SetBracket(double t0, double f0, double[] g0, double gtd0, double t1, double f1, double[] g1, double gtd1)
    {
        SetEnd(0, t0, f0, g0, gtd0);
        SetEnd(1, t1, f1, g1, gtd1);
    }

    private void SetEnd(int end, double t, double f, double[] gradient, double gtd)
    {
        _bracket[end] = t;
        _bracketF[end] = f;
        if (!ReferenceEquals(gradient, _bracketGrad[end]))
        {
            gradient.CopyTo(_bracketGrad[end], 0);
        }

        _bracketGtd[end] = gtd;
    }

    /// <summary>torch's <c>_directional_evaluate</c>: evaluates at start + t·d into the trial gradient, then returns to the start.</summary>
    private bool Directional(Span<double> parameters, IOptimizerObjective objective, double t, out double value)
    {
        MoveFromStart(parameters, t);
        bool ok = Evaluate(objective, _lineNewGrad, out value);
        _start.CopyTo(parameters);
        return ok;
    }

    private void MoveFromStart(Span<double> parameters, double t)
    {
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = _start[i] + t * _direction[i];
        }
    }

    private bool Evaluate(IOptimizerObjective objective, double[] gradient, out double value)
    {
        Evaluations++;
        return objective.TryEvaluate(gradient, out value);
    }

    private static void AddScaled(Span<double> target, ReadOnlySpan<double> source, double scale)
    {
        for (int i = 0; i < target.Length; i++)
        {
            target[i] += scale * source[i];
        }
    }

    /// <summary>
    /// torch's <c>_cubic_interpolate</c>: the minimiser of the cubic through (x1, f1, g1) and (x2, f2, g2),
    /// clamped to the bounds (default: the two points); the bounds' midpoint when the cubic has no minimum.
    /// </summary>
    internal static double CubicInterpolate(double x1, double f1, double g1, double x2, double f2, double g2, double? lowerBound = null, double? upperBound = null)
    {
        double minBound, maxBound;
        if (lowerBound is double lo && upperBound is double hi)
        {
            (minBound, maxBound) = (lo, hi);
        }
        else
        {
            (minBound, maxBound) = x1 <= x2 ? (x1, x2) : (x2, x1);
        }

        double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
        double d2Square = d1 * d1 - g1 * g2;
        if (d2Square >= 0)
        {
            double d2 = Math.Sqrt(d2Square);
            double minPosition = x1 <= x2
                ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
            return Math.Min(Math.Max(minPosition, minBound), maxBound);
        }

        return (minBound + maxBound) / 2.0;
    }
}
