using KanCompile.Pde;
using KanCompile.Tests.Support;
using KanCompile.Training;

namespace KanCompile.Tests.Pde;

/// <summary>
/// The Levenberg–Marquardt form of the loss: its cost is the loss, JᵀJ and Jᵀr assembled from sparse rows equal the dense
/// products of the residuals' gradients, and the objective's gradient matches central differences of the loss.
/// </summary>
public class PdeLeastSquaresTests
{
    [Fact]
    public void Normal_equations_equal_the_dense_products()
    {
        var model = new KanNetwork([2, 3, 1], gridSize: 4, seed: 5);
        Sampling.Randomize(model.Parameters, 11);
        PdeProblem problem = PdeProblems.Poisson2D(5);
        var loss = new PdeLoss(problem, 1);
        using var workers = new ChunkWorkers(2);
        var leastSquares = new PdeLeastSquares(model, loss, workers, model.ParameterBuffer);
        int p = model.ParameterCount, n = loss.Count;
        var normal = new double[p * p];
        var gradient = new double[p];
        leastSquares.NormalEquations(normal, gradient);

        // Dense reference: each residual's gradient row by the model's own loss-gradient entry point.
        var rows = new double[n][];
        var residuals = new double[n];
        loss.ResidualRows = true;
        for (int s = 0; s < n; s++)
        {
            rows[s] = new double[p];
            residuals[s] = model.Kernel.InputDerivativeLossGradient(loss.Inputs.AsSpan(s * 2, 2), s, 1, loss.Second, loss, model.ParameterBuffer, model.KnotTable, model.MaskBuffer, rows[s]);
        }

        loss.ResidualRows = false;
        double cost = residuals.Sum(r => r * r);
        Assert.Equal(cost, leastSquares.Cost(), 12);
        for (int a = 0; a < p; a++)
        {
            double expectedGradient = Enumerable.Range(0, n).Sum(s => rows[s][a] * residuals[s]);
            Assert.True(Math.Abs(expectedGradient - gradient[a]) <= 1e-12 * Math.Max(1, Math.Abs(expectedGradient)), $"Jᵀr[{a}] = {gradient[a]}, dense {expectedGradient}");
            for (int b = 0; b < p; b++)
            {
                double expected = Enumerable.Range(0, n).Sum(s => rows[s][a] * rows[s][b]);
                Assert.True(Math.Abs(expected - normal[a * p + b]) <= 1e-12 * Math.Max(1, Math.Abs(expected)), $"JᵀJ[{a},{b}] = {normal[a * p + b]}, dense {expected}");
            }
        }
    }

    [Fact]
    public void The_objective_gradient_matches_central_differences_of_the_loss()
    {
        var model = new KanNetwork([2, 3, 1], gridSize: 4, seed: 5);
        Sampling.Randomize(model.Parameters, 13);
        var domain = PdeDomain.Cube(2, -1, 1);
        // Nonlinear in u and its derivatives, sensitivities derived by central differences.
        var problem = new PdeProblem(
            domain,
            PdeTerm.Interior(Collocation.Halton(domain, 40, 3), (in PdePoint p) => p.Uxx(0) + p.U * p.Ux(1) - Math.Sin(p.Uxx(1)), 0.3),
            PdeTerm.Neumann(Collocation.BoundaryUniform(domain, 3, 4), x => x[0]),
            PdeTerm.Dirichlet(Collocation.BoundaryUniform(domain, 3, 5), x => x[1]));
        var loss = new PdeLoss(problem, 1);
        using var workers = new ChunkWorkers(2);
        var objective = new PdeObjective(model, loss, workers, model.ParameterBuffer, default);
        var gradient = new double[model.ParameterCount];
        Assert.True(objective.TryEvaluate(gradient, out _));
        double Loss()
        {
            var scratch = new double[model.ParameterCount];
            objective.TryEvaluate(scratch, out double value);
            return value;
        }

        // Derived sensitivities carry ~1e-10 relative error: the check allows 1e-6 as the other gradient checks do.
        CentralDifferences.AssertGradient(model.Parameters, gradient, Loss, "PDE loss");
    }

    [Fact]
    public void An_objective_evaluation_allocates_nothing()
    {
        var model = new KanNetwork([2, 3, 1], gridSize: 4, seed: 5);
        PdeProblem problem = PdeProblems.Poisson2D(9);
        var loss = new PdeLoss(problem, 1);
        using var workers = new ChunkWorkers(2);
        var objective = new PdeObjective(model, loss, workers, model.ParameterBuffer, default);
        var gradient = new double[model.ParameterCount];
        for (int warm = 0; warm < 20; warm++)
        {
            objective.TryEvaluate(gradient, out _);
        }

        long leastCaller = long.MaxValue, leastWorkers = long.MaxValue;
        for (int round = 0; round < 4 && (leastCaller > 0 || leastWorkers > 0); round++)
        {
            Thread.Sleep(150);
            long caller = GC.GetAllocatedBytesForCurrentThread(), workerBytes = workers.WorkerAllocatedBytes;
            for (int call = 0; call < 20; call++)
            {
                objective.TryEvaluate(gradient, out _);
            }

            leastCaller = Math.Min(leastCaller, GC.GetAllocatedBytesForCurrentThread() - caller);
            leastWorkers = Math.Min(leastWorkers, workers.WorkerAllocatedBytes - workerBytes);
        }

        Assert.Equal(0, leastCaller);
        Assert.Equal(0, leastWorkers);
    }
}
