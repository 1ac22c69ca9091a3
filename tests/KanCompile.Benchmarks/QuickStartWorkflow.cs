using KanCompile.Symbolic;

namespace KanCompile.Benchmarks;

/// <summary>The quick-start's [2,5,1] G = 3 model, generated for grids 3, 10 and 20 as in samples/QuickStart.</summary>
[KanModel(2, 5, 1, GridSize = 3, SplineOrder = 3, GridExtensions = new[] { 10, 20 })]
public partial class QuickStartKan { }

/// <summary>
/// pykan's quick-start (hellokan) as samples/QuickStart runs it, phase by phase and without printing or plotting:
/// what <see cref="WorkflowProfile"/> times and <see cref="WorkflowBenchmarks"/> measures in a fresh process.
/// Each phase's pykan figure is its wall time on the 2-vCPU AVX2 host (shared/reference/anchors.md).
/// </summary>
public sealed class QuickStartWorkflow
{
    private KanDataset _dataset = null!;
    private KanModel _model = null!;
    private KanNetwork _pruned = null!;

    /// <summary>The phases in order: name, pykan's seconds, the work.</summary>
    public IReadOnlyList<(string Name, double PykanSeconds, Action Run)> Phases =>
    [
        ("data, model, fit 50 (λ = 1e-3)", 19.5, () =>
        {
            _dataset = KanDataset.FromFunction(x => Math.Exp(Math.Sin(Math.PI * x[0]) + x[1] * x[1]), inputCount: 2);
            _model = new QuickStartKan();
            _model.Fit(_dataset, new FitOptions { Steps = 50, Lambda = 1e-3 });
        }),
        ("prune and fit 50", 0.04 + 10.6, () =>
        {
            _pruned = _model.Prune();
            _pruned.Fit(_dataset, new FitOptions { Steps = 50 });
        }),
        ("refine 10 and fit 50", 0.04 + 11.4, () =>
        {
            _pruned.Refine(10);
            _pruned.Fit(_dataset, new FitOptions { Steps = 50 });
        }),
        ("auto_symbolic (10 functions)", 27.9, () =>
            _pruned.AutoSymbolic(SymbolicLibrary.Create("x", "x^2", "x^3", "x^4", "exp", "log", "sqrt", "tanh", "sin", "abs"))),
        ("fit (Levenberg–Marquardt) and formula", 4.0 + 0.2, () =>
        {
            LastFit = _pruned.Fit(_dataset, new FitOptions { Steps = 50, Optimizer = KanOptimizer.LevenbergMarquardt, UpdateGrid = false });
            Formula = _pruned.SymbolicFormula(["x1", "x2"], roundDigits: 4);
        }),
    ];

    /// <summary>pykan's quick-start in all on the AVX2 host (anchors.md).</summary>
    public const double PykanTotalSeconds = 73.8;

    /// <summary>The last fit, once its phase has run.</summary>
    public FitResult LastFit { get; private set; } = null!;

    /// <summary>The rounded formula, once the last phase has run.</summary>
    public KanFormula Formula { get; private set; } = null!;

    /// <summary>The test RMSE of the exact (unrounded) formula.</summary>
    public double FormulaTestRmse()
    {
        KanFormula exact = _pruned.SymbolicFormula(["x1", "x2"]);
        double squared = 0.0;
        var y = new double[1];
        for (int s = 0; s < _dataset.TestCount; s++)
        {
            exact.Evaluate(_dataset.TestInputs.AsSpan(2 * s, 2), y);
            squared += (y[0] - _dataset.TestLabels[s]) * (y[0] - _dataset.TestLabels[s]);
        }

        return Math.Sqrt(squared / _dataset.TestCount);
    }
}
