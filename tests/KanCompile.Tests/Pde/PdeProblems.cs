using KanCompile.Pde;

namespace KanCompile.Tests.Pde;

/// <summary>Small PDEs with known solutions, cheap enough for unit tests.</summary>
internal static class PdeProblems
{
    /// <summary>u'' = −π² sin(πx) on [−1, 1], u(±1) = 0: u = sin(πx). Sensitivities supplied unless <paramref name="derive"/>.</summary>
    public static PdeProblem Poisson1D(int points = 41, bool derive = false, double weight = 0.01)
    {
        var domain = new PdeDomain([-1.0], [1.0]);
        PdePoints interior = Collocation.Mesh(domain, points);
        return new PdeProblem(
            domain,
            PdeTerm.Interior(interior, (in PdePoint p) => p.Uxx(0) + Math.PI * Math.PI * Math.Sin(Math.PI * p.X[0]), weight,
                derive ? null : (in PdePoint p, PdeSensitivity s) => s.SetUxx(0, 1.0)),
            PdeTerm.Dirichlet(Collocation.BoundaryMesh(domain, 2), _ => 0.0));
    }

    /// <summary>The Poisson problem of pykan's tutorial on a coarse mesh: Δu = −2π² sin(πx) sin(πy), u = 0 on the square.</summary>
    public static PdeProblem Poisson2D(int pointsPerAxis = 9)
    {
        var domain = PdeDomain.Cube(2, -1, 1);
        return new PdeProblem(
            domain,
            PdeTerm.Interior(Collocation.Mesh(domain, pointsPerAxis), (in PdePoint p) => p.Laplacian + 2 * Math.PI * Math.PI * Math.Sin(Math.PI * p.X[0]) * Math.Sin(Math.PI * p.X[1]), 0.01),
            PdeTerm.Dirichlet(Collocation.BoundaryMesh(domain, pointsPerAxis), _ => 0.0));
    }

    public static double Sine(ReadOnlySpan<double> x) => Math.Sin(Math.PI * x[0]);
}
