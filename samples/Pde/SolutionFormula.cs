using KanCompile.Pde;
using KanCompile.Symbolic.Discovery;

namespace KanCompile.Samples.Pde;

/// <summary>
/// From solution to formula, as pykan's <c>Example_6_PDE_interpretation</c>: solve the tutorial's Poisson problem, then let
/// the formula search (which knows nothing of the answer) find a closed form for the trained solution from 1000 of its
/// values. The data carry the solver's error (≈1e-4 RMS), so the search accepts formulas within 1e-3 of the data's scale.
/// </summary>
internal static class SolutionFormula
{
    public static void Run()
    {
        Poisson poisson = Poisson.Tutorial;
        Console.WriteLine($"Solution to formula: Δu = -2π² sin(πx) sin(πy) on [-1, 1]², u = 0 on the boundary; [2,10,1], then the formula search");
        PdePoints mesh = Collocation.Mesh(Poisson.Square, 51);
        PdeProblem problem = poisson.Problem(mesh, Collocation.BoundaryMesh(Poisson.Square, 51));
        var clock = new PhaseClock();
        var model = new PoissonKan(seed: 1);
        model.FitPde(problem, new PdeFitOptions { Steps = 50 });
        foreach (int grid in new[] { 10, 20 })
        {
            model.Refine(grid);
            model.FitPde(problem, new PdeFitOptions { Steps = 2, Optimizer = KanOptimizer.LevenbergMarquardt, UpdateGrid = false });
        }
        PdePoints test = Collocation.Mesh(Poisson.Square, 101);
        Console.WriteLine($"  spline solution: L2² {PdeSolutionError.Measure(model, test, poisson.Solution).L2Squared:E2}   {clock.Lap()}");

        var value = new double[1];
        KanDataset data = KanDataset.FromFunction(x =>
        {
            model.Forward(x, value);
            return value[0];
        }, inputCount: 2, trainCount: 1000, testCount: 1000, seed: 1);
        FormulaSearchResult found = KanFormulaSearch.Discover(data, new FormulaSearchOptions { Seed = 1, ExactTolerance = 1e-3 });
        if (!found.Found)
        {
            Console.WriteLine($"  {found.Message}   {clock.Lap()}");
            return;
        }

        Console.WriteLine($"  formula: u = {found.WithVariableNames(["x", "y"])}   {clock.Lap()}");
        Console.WriteLine($"  its L2² against sin(πx)·sin(πy): {PdeSolutionError.Measure(found.SymbolicModel!, test, poisson.Solution).L2Squared:E2}");
    }
}
