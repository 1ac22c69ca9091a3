using System.Diagnostics;
using KanCompile;
using KanCompile.Symbolic;

// KAN 2.0's multiplication nodes (pykan's MultKAN): products without the ((a+b)² − (a−b)²)/4 trick.
//
// Part 1 is pykan's "Hello, MultKAN" (tutorials/Interp_1_Hello_MultKAN): f = x·y with width [2,[5,2],1] and an
// identity base: sparse fit → prune → fit → auto-symbolic → fit → the formula x1*x2 at machine precision.
// Part 2 recovers a physics law with a product and a function, Feynman I.40.1 n·e^(−a), exactly.
var clock = Stopwatch.StartNew();

Console.WriteLine("Part 1: f(x, y) = x·y with pykan's KAN(width=[2,[5,2],1], base_fun='identity')");
KanDataset products = KanDataset.FromFunction(x => x[0] * x[1], inputCount: 2, seed: 0);
var hello = new HelloMultKan(seed: 0);
Report("sparse fit (20 steps, λ = 0.01, λ_coef = 1)", hello.Fit(products, new FitOptions { Steps = 20, Lambda = 0.01, LambdaCoef = 1.0 }), "pykan: 6.3e-2 / 7.2e-2");
KanNetwork pruned = hello.Prune();
Console.WriteLine($"prune → widths [{string.Join(", ", pruned.Widths)}] with multiplication nodes [{string.Join(", ", pruned.MultiplicationNodes)}] (pykan: [2,[0,1],1])");
Report("fit (20 steps)", pruned.Fit(products, new FitOptions { Steps = 20 }), "pykan: 1.4e-7 / 1.7e-7");
PrintAutoSymbolic(pruned.AutoSymbolic(products.TrainInputs.AsSpan(0, 2 * 200), SymbolicLibrary.Default));
Report("fit the affine parameters (20 steps)", pruned.Fit(products, new FitOptions { Steps = 20 }), "pykan: 1.3e-16");
Console.WriteLine($"formula: {pruned.SymbolicFormula(roundDigits: 4).ToText()} (pykan: x_1*x_2), test RMSE {FormulaRmse(pruned.SymbolicFormula(), products):E2}");
Console.WriteLine();

Console.WriteLine("Part 2: Feynman I.40.1, f(n, a) = n·e^(−a), with one multiplication node: width [2,[0,1],1]");
KanDataset law = KanDataset.FromFunction(x => x[0] * Math.Exp(-x[1]), inputCount: 2, seed: 1);
var physics = new LawMultKan(seed: 1);
Report("fit (20 steps)", physics.Fit(law, new FitOptions { Steps = 20 }), "a product of two learned factors");

// The only exact product form is (c·n)·(e^(−a)/c): the cross edges (a into the first factor, n into the second)
// carry nothing, so pruning by attribution removes them.
physics.PruneEdge();
Report("prune edges → fit (20 steps)", physics.Fit(law, new FitOptions { Steps = 20 }), "spline accuracy");
PrintAutoSymbolic(physics.AutoSymbolic(law.TrainInputs.AsSpan(0, 2 * 200), SymbolicLibrary.Create("x", "x^2", "exp", "sin", "tanh")));

// fit_params leaves the 'x' edges at a = −10 (the first maximum on the border of its box, as pykan) and the exp edge
// at b ≈ 10 with c ≈ e^(−10): badly scaled, redundant affine parameters on which L-BFGS stalls near 1e-7.
// Levenberg–Marquardt's diagonal scaling does not care how they are scaled and converges quadratically to the law.
Report("fit the affine parameters (Levenberg–Marquardt, 5 steps)", physics.Fit(law, new FitOptions { Steps = 5, Optimizer = KanOptimizer.LevenbergMarquardt }), "machine precision");
Console.WriteLine($"formula: {physics.SymbolicFormula(["n", "a"], roundDigits: 4).ToText()}, test RMSE {FormulaRmse(physics.SymbolicFormula(["n", "a"]), law):E2}");

string output = Directory.CreateDirectory("output").FullName;
File.WriteAllText(Path.Combine(output, "MultKanFormula.cs"), pruned.ExportCSharp("HelloMultKanFormula", "MultKan.Exported"));
physics.Save(Path.Combine(output, "feynman-I.40.1.kan.json"));
Console.WriteLine($"Wrote MultKanFormula.cs and feynman-I.40.1.kan.json to {output} ({clock.Elapsed.TotalSeconds:F0} s in all)");

void Report(string phase, FitResult fitted, string expected) =>
    Console.WriteLine($"{phase}: train RMSE {fitted.TrainRmse[^1]:E2}, test RMSE {fitted.TestRmse[^1]:E2} ({expected}), {fitted.Elapsed.TotalSeconds:F1} s");

void PrintAutoSymbolic(IReadOnlyList<AutoSymbolicEntry> entries)
{
    foreach (AutoSymbolicEntry entry in entries)
    {
        Console.WriteLine("  " + entry);
    }
}

static double FormulaRmse(KanFormula formula, KanDataset data)
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

/// <summary>pykan's <c>KAN(width=[2,[5,2],1], base_fun='identity')</c>: grid 3, cubic splines, compiled at build time.</summary>
[KanModel(2, 5, 1, GridSize = 3, BaseFunction = KanBaseFunction.Identity, MultiplicationNodes = new[] { 0, 2, 0 })]
public partial class HelloMultKan
{
}

/// <summary>A single multiplication node of two learned factors, pykan's <c>width=[2,[0,1],1]</c>.</summary>
[KanModel(2, 0, 1, GridSize = 5, BaseFunction = KanBaseFunction.Identity, MultiplicationNodes = new[] { 0, 1, 0 })]
public partial class LawMultKan
{
}
