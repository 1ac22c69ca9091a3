namespace KanCompile.Pde;

/// <summary>
/// A PDE as a physics-informed loss: its domain and the weighted terms (the equation inside, the boundary and initial
/// conditions), minimised by <see cref="KanModel.FitPde"/>. The model's inputs are the domain's coordinates (time
/// included); its outputs are the solution's components.
/// </summary>
public sealed class PdeProblem
{
    /// <summary>Creates the problem.</summary>
    /// <exception cref="ArgumentException">No term, or a term's points do not have the domain's dimensions.</exception>
    public PdeProblem(PdeDomain domain, params PdeTerm[] terms)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Length == 0)
        {
            throw new ArgumentException("A PDE problem needs at least one term (the interior residual, and usually boundary conditions).", nameof(terms));
        }

        foreach (PdeTerm term in terms)
        {
            ArgumentNullException.ThrowIfNull(term, nameof(terms));
            if (term.Points.Dimensions != domain.Dimensions)
            {
                throw new ArgumentException($"The points of term '{term.Name}' have {term.Points.Dimensions} coordinates; the domain has {domain.Dimensions}.", nameof(terms));
            }
        }

        Domain = domain;
        Terms = terms.ToArray();
    }

    /// <summary>The domain (its dimensions are the model's inputs).</summary>
    public PdeDomain Domain { get; }

    /// <summary>The loss terms, in the order progress reports list them.</summary>
    public IReadOnlyList<PdeTerm> Terms { get; }

    /// <summary>
    /// Which second derivatives residuals may read: <see cref="SecondDerivatives.Diagonal"/> (the default: ∂²u/∂x_i², enough
    /// for Laplacians, heat, wave, Burgers and Allen–Cahn), <see cref="SecondDerivatives.Full"/> for mixed partials, or
    /// <see cref="SecondDerivatives.None"/> for first-order equations (cheaper).
    /// </summary>
    public SecondDerivatives SecondDerivatives { get; init; } = SecondDerivatives.Diagonal;

    /// <summary>Number of coordinates.</summary>
    public int Dimensions => Domain.Dimensions;
}
