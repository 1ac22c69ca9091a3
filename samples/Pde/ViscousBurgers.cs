using KanCompile.Pde;

namespace KanCompile.Samples.Pde;

[KanModel(2, 10, 1, GridSize = 5, GridExtensions = new[] { 10, 20, 40 })]
public partial class BurgersKan { }

/// <summary>
/// Viscous Burgers from jaxKAN's suite, u_t + u·u_x = ν·u_xx on x ∈ [−1, 1], t ∈ [0, 1], u(x, 0) = −sin(πx), u(±1, t) = 0,
/// with ν = 0.05/π. (The classic PINN benchmark uses ν = 0.01/π, whose near-shock at x = 0 this small model does not
/// resolve in this budget: see docs/pde.md.) The residual is nonlinear; its sensitivities ∂R/∂u = u_x, ∂R/∂u_x = u,
/// ∂R/∂u_t = 1, ∂R/∂u_xx = −ν are given here (without them they are derived by central differences).
/// The reference is the exact solution by the Cole–Hopf transformation (<see cref="ColeHopf"/>).
/// </summary>
internal static class ViscousBurgers
{
    private const double Nu = 0.05 / Math.PI;

    public static void Run(string output)
    {
        Console.WriteLine("Viscous Burgers u_t + u·u_x = ν·u_xx, ν = 0.05/π, x ∈ [-1, 1], t ∈ [0, 1], u(x,0) = -sin(πx), u(±1,t) = 0; [2,10,1]");
        var domain = new PdeDomain([-1.0, 0.0], [1.0, 1.0]);
        var problem = new PdeProblem(
            domain,
            PdeTerm.Interior(Collocation.Halton(domain, 4000, seed: 1), (in PdePoint p) => p.Ux(1) + p.U * p.Ux(0) - Nu * p.Uxx(0), 1.0, (in PdePoint p, PdeSensitivity s) =>
            {
                s.SetU(p.Ux(0));
                s.SetUx(0, p.U);
                s.SetUx(1, 1.0);
                s.SetUxx(0, -Nu);
            }, name: "pde"),
            PdeTerm.Dirichlet(Collocation.BoundaryUniform(domain, 200, seed: 2, [PdeFace.LowerOf(1)]), x => -Math.Sin(Math.PI * x[0]), name: "initial"),
            PdeTerm.Dirichlet(Collocation.BoundaryUniform(domain, 100, seed: 3, [PdeFace.LowerOf(0), PdeFace.UpperOf(0)]), _ => 0.0, name: "boundary"));

        var clock = new PhaseClock();
        var reference = new ColeHopf(Nu);
        PdePoints test = Collocation.Mesh(domain, 101);
        var exact = new double[test.Count];
        for (int p = 0; p < exact.Length; p++)
        {
            exact[p] = reference.Solution(test[p][0], test[p][1]);
        }

        Console.WriteLine($"  reference: Cole–Hopf on the 101 × 101 mesh   {clock.Lap()}");
        var model = new BurgersKan(seed: 1);
        Report("G = 5, 50 L-BFGS steps", model.FitPde(problem, new PdeFitOptions { Steps = 50 }));
        foreach (int grid in new[] { 10, 20, 40 })
        {
            model.Refine(grid);
            Report($"G = {grid}, 3 Levenberg–Marquardt steps", model.FitPde(problem, new PdeFitOptions { Steps = 3, Optimizer = KanOptimizer.LevenbergMarquardt, UpdateGrid = false }));
        }

        Console.WriteLine($"  total {clock.Total.TotalSeconds:F1} s wall");
        SolutionPlot.Write(Path.Combine(output, "burgers.png"), "viscous Burgers, ν = 0.05/π, [2,10,1] G = 40", model, domain, x => reference.Solution(x[0], x[1]), "x", "t");

        void Report(string phase, PdeFitResult result)
        {
            var y = new double[test.Count];
            model.Predict(test.Coordinates, y);
            double difference = 0.0, norm = 0.0;
            for (int p = 0; p < y.Length; p++)
            {
                difference += (y[p] - exact[p]) * (y[p] - exact[p]);
                norm += exact[p] * exact[p];
            }

            IReadOnlyList<double> terms = result.TermMeanSquares[^1];
            Console.WriteLine($"  {phase,-38} pde {terms[0]:E2} | initial {terms[1]:E2} | boundary {terms[2]:E2} | relative L2 {Math.Sqrt(difference / norm):E2}   {clock.Lap()}");
        }
    }
}

/// <summary>
/// The exact solution of viscous Burgers with u(x, 0) = −sin(πx) by the Cole–Hopf transformation (as in Basdevant et al.,
/// Comput. Fluids 14 (1986), the reference of the PINN benchmark):
/// u(x, t) = −∫ sin(π(x − η))·f(x − η)·e^{−η²/4νt} dη / ∫ f(x − η)·e^{−η²/4νt} dη with f(y) = e^{−cos(πy)/2πν}.
/// Both integrals are taken by the trapezoid rule over |η| ≤ 10·√(4νt) (the Gaussian is below e^{−100} outside) with 4000
/// intervals, the exponents shifted by their maximum; the rule converges spectrally for these smooth, rapidly decaying
/// integrands (16,000 intervals change the result by less than 1e-14).
/// </summary>
internal sealed class ColeHopf(double nu, int intervals = 4000)
{
    public double Solution(double x, double t)
    {
        if (t == 0.0)
        {
            return -Math.Sin(Math.PI * x);
        }

        double width = 10 * Math.Sqrt(4 * nu * t), h = 2 * width / intervals;
        double shift = double.NegativeInfinity;
        for (int i = 0; i <= intervals; i++)
        {
            shift = Math.Max(shift, Exponent(x, -width + i * h, t));
        }

        double numerator = 0.0, denominator = 0.0;
        for (int i = 0; i <= intervals; i++)
        {
            double eta = -width + i * h;
            double weight = (i == 0 || i == intervals ? 0.5 : 1.0) * Math.Exp(Exponent(x, eta, t) - shift);
            numerator += Math.Sin(Math.PI * (x - eta)) * weight;
            denominator += weight;
        }

        return -numerator / denominator;
    }

    private double Exponent(double x, double eta, double t) => -Math.Cos(Math.PI * (x - eta)) / (2 * Math.PI * nu) - eta * eta / (4 * nu * t);
}
