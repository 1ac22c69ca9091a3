using KanCompile.Pde;

namespace KanCompile.Tests.Pde;

/// <summary>Wrong PDE inputs fail with messages that name the problem.</summary>
public class PdeErrorTests
{
    [Fact]
    public void A_residual_that_returns_NaN_names_its_term_and_point()
    {
        var domain = new PdeDomain([-1.0], [1.0]);
        var problem = new PdeProblem(domain, PdeTerm.Interior(Collocation.Mesh(domain, 5), (in PdePoint p) => Math.Log(p.X[0]) + p.Uxx(0), name: "heat"));
        var model = new KanNetwork([1, 2, 1], gridSize: 3, seed: 1);
        var error = Assert.Throws<InvalidOperationException>(() => model.FitPde(problem, new PdeFitOptions { Steps = 1, UpdateGrid = false }));
        Assert.Contains("'heat'", error.Message);
        Assert.Contains("NaN", error.Message);
        Assert.Contains("x = (-1)", error.Message);
    }

    [Fact]
    public void An_empty_domain_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new PdeDomain([0.0, 1.0], [1.0, 1.0]));
        Assert.Contains("empty", error.Message);
        Assert.Contains("axis 1", error.Message);
    }

    [Fact]
    public void The_model_inputs_must_be_the_domain_dimensions()
    {
        var model = new KanNetwork([3, 2, 1], gridSize: 3, seed: 1);
        var error = Assert.Throws<ArgumentException>(() => model.FitPde(PdeProblems.Poisson2D()));
        Assert.Contains("3 inputs", error.Message);
        Assert.Contains("2 dimensions", error.Message);
    }

    [Fact]
    public void Mixed_derivatives_need_the_full_Hessian()
    {
        var domain = PdeDomain.Cube(2, 0, 1);
        var problem = new PdeProblem(domain, PdeTerm.Interior(Collocation.Mesh(domain, 3), (in PdePoint p) => p.Uxy(0, 1)));
        var model = new KanNetwork([2, 2, 1], gridSize: 3, seed: 1);
        var error = Assert.Throws<InvalidOperationException>(() => model.FitPde(problem, new PdeFitOptions { Steps = 1, UpdateGrid = false }));
        Assert.Contains("SecondDerivatives.Full", error.Message);
        var full = new PdeProblem(domain, problem.Terms.ToArray()) { SecondDerivatives = SecondDerivatives.Full };
        Assert.Equal(FitExitReason.Completed, model.FitPde(full, new PdeFitOptions { Steps = 1, UpdateGrid = false }).ExitReason);
    }

    [Fact]
    public void A_Neumann_term_needs_normals_and_terms_need_the_domain_dimensions()
    {
        var domain = PdeDomain.Cube(2, 0, 1);
        var inside = Collocation.Mesh(domain, 3);
        Assert.Contains("normals", Assert.Throws<ArgumentException>(() => PdeTerm.Neumann(inside, _ => 0.0)).Message);
        var line = Collocation.Mesh(new PdeDomain([0.0], [1.0]), 3);
        Assert.Contains("2", Assert.Throws<ArgumentException>(() => new PdeProblem(domain, PdeTerm.Dirichlet(line, _ => 0.0))).Message);
        Assert.Throws<ArgumentException>(() => new PdeProblem(domain));
    }

    [Fact]
    public void Settings_that_cannot_work_are_named()
    {
        var model = new KanNetwork([1, 2, 1], gridSize: 3, seed: 1);
        Assert.Contains("PdeFitOptions.Steps", Assert.Throws<ArgumentException>(() => model.FitPde(PdeProblems.Poisson1D(), new PdeFitOptions { Steps = -1 })).Message);
        Assert.Contains("PdeFitOptions.GridUpdateCount", Assert.Throws<ArgumentException>(() => model.FitPde(PdeProblems.Poisson1D(), new PdeFitOptions { GridUpdateCount = 30 })).Message);
        Assert.Contains("finite", Assert.Throws<ArgumentException>(() => PdeTerm.Dirichlet(Collocation.Mesh(new PdeDomain([0.0], [1.0]), 3), x => 1 / x[0])).Message);
    }
}
