using KanCompile.Pde;

namespace KanCompile.Samples.Pde;

/// <summary>
/// pykan's tutorial <c>Example_7_PDE_accuracy</c> with its settings: [2,2,1], k = 3, seed 1; a 51 × 51 mesh inside (bounds
/// included) and 4 × 51 points on the boundary; loss 0.01·pde + bc; grids 5 → 10 → 20, 50 L-BFGS steps each (lr 1,
/// history 10, strong Wolfe), the grid re-fitted to the mesh at steps 0, 5, 10 and 15 of each; refine between grids.
/// </summary>
internal static class TutorialPoisson
{
    // pykan's notebook output for the same settings, on a CUDA GPU: (pde loss, bc loss, l2) after each grid, ~35 s each.
    private static readonly (double Pde, double Bc, double L2)[] Pykan = [(2.13, 1.80e-3, 3.11e-3), (5.68e-1, 5.30e-4, 1.03e-3), (1.23e-1, 1.51e-4, 1.74e-4)];

    public static void Run(string output)
    {
        Poisson poisson = Poisson.Tutorial;
        Console.WriteLine($"pykan's PDE tutorial: Δu = f on [-1, 1]², u* = {poisson.Name}, [2,2,1], grids 5 → 10 → 20 × 50 L-BFGS steps");
        PdePoints mesh = Collocation.Mesh(Poisson.Square, 51);
        PdeProblem problem = poisson.Problem(mesh, Collocation.BoundaryMesh(Poisson.Square, 51));
        var clock = new PhaseClock();
        var model = new KanNetwork([2, 2, 1], gridSize: 5, seed: 1);
        int[] grids = [5, 10, 20];
        for (int g = 0; g < grids.Length; g++)
        {
            if (g > 0)
            {
                model.Refine(grids[g]);
            }

            PdeFitResult result = model.FitPde(problem, new PdeFitOptions { Steps = 50 });
            var error = PdeSolutionError.Measure(model, mesh, poisson.Solution, poisson.Gradient);
            IReadOnlyList<double> terms = result.TermMeanSquares[^1];
            Console.WriteLine(
                $"  G = {grids[g],2}: pde loss {terms[0]:E2} | bc loss {terms[1]:E2} | l2 {error.L2Squared:E2} | H1² {error.H1Squared:E2}   {clock.Lap()}"
                + $"   [pykan: {Pykan[g].Pde:E2} | {Pykan[g].Bc:E2} | {Pykan[g].L2:E2}, ~35 s on a GPU]");
        }

        Console.WriteLine($"  total {clock.Total.TotalSeconds:F1} s wall (pykan's notebook: ~105 s on a CUDA GPU)");
        SolutionPlot.Write(Path.Combine(output, "tutorial-poisson.png"), "pykan tutorial, [2,2,1] G = 20", model, Poisson.Square, poisson.Solution);
    }
}
