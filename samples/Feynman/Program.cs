using System.Diagnostics;
using KanCompile;
using KanCompile.Symbolic;

// Feynman equations from the KAN paper (§3.2, dimensionless), recovered end to end with pykan's recipe on a
// [2,1,1] KAN: fit on grid 5, refine to 10 and 20 (fitting after each), AutoSymbolic with the quick-start
// library, fit the affine parameters, read the formula. Recovered = the formula's own test RMSE ≤ 1e-6.
// 1200 train / 300 test points uniform on the ranges below (chosen to avoid singularities).
var laws = new (string Name, string Law, Func<double, double, double> F, (double, double) A, (double, double) B)[]
{
    ("III.10.19", "sqrt(1 + a^2 + b^2)", (a, b) => Math.Sqrt(1 + a * a + b * b), (-1, 1), (-1, 1)),
    ("II.38.3", "a / b", (a, b) => a / b, (0.2, 1), (0.5, 2)),
    ("I.40.1", "a * exp(-b)", (a, b) => a * Math.Exp(-b), (0.2, 1), (0, 2)),
    ("I.12.11", "1 + a * sin(b)", (a, b) => 1 + a * Math.Sin(b), (0.2, 1), (-1.571, 1.571)),
};

var library = SymbolicLibrary.Create("x", "x^2", "x^3", "x^4", "exp", "log", "sqrt", "tanh", "sin", "abs");
int recovered = 0;
var total = Stopwatch.StartNew();
foreach (var law in laws)
{
    var clock = Stopwatch.StartNew();
    KanDataset data = KanDataset.FromFunction(x => law.F(x[0], x[1]), 2, ranges: new[] { law.A, law.B }, trainCount: 1200, testCount: 300);
    var model = new KanNetwork(new[] { 2, 1, 1 }, gridSize: 5, splineOrder: 3, seed: 0);
    var steps = new FitOptions { Steps = 50 };
    model.Fit(data, steps);
    model.Refine(10);
    model.Fit(data, steps);
    model.Refine(20);
    FitResult spline = model.Fit(data, steps);
    model.AutoSymbolic(library);
    model.Fit(data, steps);
    double rmse = FormulaTestRmse(model.SymbolicFormula(["a", "b"]), data);
    bool ok = rmse <= 1e-6;
    recovered += ok ? 1 : 0;
    Console.WriteLine($"{law.Name,-10} {law.Law,-20} spline test RMSE {spline.TestRmse[^1]:E2}   formula test RMSE {rmse:E2} {(ok ? "recovered" : "not recovered")}   {clock.Elapsed.TotalSeconds:F1} s");
    Console.WriteLine($"           formula: {model.SymbolicFormula(["a", "b"], roundDigits: 4).ToText()}");
}

Console.WriteLine($"recovered {recovered}/{laws.Length} in {total.Elapsed.TotalSeconds:F1} s");

static double FormulaTestRmse(KanFormula formula, KanDataset data)
{
    double squared = 0.0;
    var y = new double[1];
    for (int s = 0; s < data.TestCount; s++)
    {
        formula.Evaluate(data.TestInputs.AsSpan(2 * s, 2), y);
        squared += (y[0] - data.TestLabels[s]) * (y[0] - data.TestLabels[s]);
    }

    return Math.Sqrt(squared / data.TestCount);
}
