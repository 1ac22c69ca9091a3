using KanCompile.Pde;

namespace KanCompile.Samples.Pde;

/// <summary>Δu = f on [−1, 1]² with u = 0 on the boundary, for a known solution u*: the problem, u* and ∇u*.</summary>
internal sealed class Poisson
{
    private Poisson(string name, PdeFunction solution, PdeFunction source, PdeGradientFunction gradient)
    {
        Name = name;
        Solution = solution;
        Source = source;
        Gradient = gradient;
    }

    public static PdeDomain Square { get; } = PdeDomain.Cube(2, -1, 1);

    /// <summary>pykan's tutorial: u* = sin(πx)·sin(πy), f = −2π²·u*.</summary>
    public static Poisson Tutorial { get; } = new(
        "sin(πx)·sin(πy)",
        x => Math.Sin(Math.PI * x[0]) * Math.Sin(Math.PI * x[1]),
        x => -2 * Math.PI * Math.PI * Math.Sin(Math.PI * x[0]) * Math.Sin(Math.PI * x[1]),
        (x, g) =>
        {
            g[0] = Math.PI * Math.Cos(Math.PI * x[0]) * Math.Sin(Math.PI * x[1]);
            g[1] = Math.PI * Math.Sin(Math.PI * x[0]) * Math.Cos(Math.PI * x[1]);
        });

    /// <summary>The KAN paper's §3.4: u* = sin(πx)·sin(πy²), f = −π²(1 + 4y²)·sin(πx)·sin(πy²) + 2π·sin(πx)·cos(πy²).</summary>
    public static Poisson Paper { get; } = new(
        "sin(πx)·sin(πy²)",
        x => Math.Sin(Math.PI * x[0]) * Math.Sin(Math.PI * x[1] * x[1]),
        x =>
        {
            double sx = Math.Sin(Math.PI * x[0]), y2 = x[1] * x[1];
            return -Math.PI * Math.PI * (1 + 4 * y2) * sx * Math.Sin(Math.PI * y2) + 2 * Math.PI * sx * Math.Cos(Math.PI * y2);
        },
        (x, g) =>
        {
            double y2 = x[1] * x[1];
            g[0] = Math.PI * Math.Cos(Math.PI * x[0]) * Math.Sin(Math.PI * y2);
            g[1] = 2 * Math.PI * x[1] * Math.Sin(Math.PI * x[0]) * Math.Cos(Math.PI * y2);
        });

    public string Name { get; }

    public PdeFunction Solution { get; }

    public PdeFunction Source { get; }

    public PdeGradientFunction Gradient { get; }

    /// <summary>
    /// pykan's loss α·mean(Δu − f)² + mean(u − 0)² on the given points. The residual is linear in Δu, so its sensitivities
    /// are given (∂R/∂u_xx = ∂R/∂u_yy = 1); f is evaluated once per point.
    /// </summary>
    public PdeProblem Problem(PdePoints interior, PdePoints boundary, double alpha = 0.01)
    {
        var f = new double[interior.Count];
        for (int p = 0; p < f.Length; p++)
        {
            f[p] = Source(interior[p]);
        }

        return new PdeProblem(
            Square,
            PdeTerm.Interior(interior, (in PdePoint p) => p.Uxx(0) + p.Uxx(1) - f[p.Index], alpha, (in PdePoint p, PdeSensitivity s) =>
            {
                s.SetUxx(0, 1.0);
                s.SetUxx(1, 1.0);
            }, name: "pde"),
            PdeTerm.Dirichlet(boundary, _ => 0.0, name: "bc"));
    }
}
