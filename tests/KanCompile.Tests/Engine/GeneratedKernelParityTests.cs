using KanCompile.Tests.Support;

namespace KanCompile.Tests.Engine;

/// <summary>
/// Generated kernels against the reference engine: outputs to 1e-12 relative, gradients to 1e-12 normwise
/// relative (the largest difference over the sample's whole gradient, parameters and inputs, divided by its
/// largest entry). Gradients are sums of many terms whose order differs between the kernel (closed-form
/// basis derivative, k+1-term windows) and the reference (autograd-style recursion over all G+k bases), so
/// a small entry can carry the rounding of its large neighbours.
/// </summary>
public class GeneratedKernelParityTests
{
    [Theory]
    [MemberData(nameof(ModelCase.All), MemberType = typeof(ModelCase))]
    public void Forward_matches_reference_in_every_grid_zone(ModelCase modelCase)
    {
        (KanModel generated, KanNetwork reference) = ModelCase.Pair(modelCase.CreateGenerated(7), parameterSeed: 11);
        KernelAgreement.Outputs(modelCase.ToString(), generated, reference, seed: 3, count: 200);
    }

    [Theory]
    [MemberData(nameof(ModelCase.All), MemberType = typeof(ModelCase))]
    public void Backward_matches_reference(ModelCase modelCase)
    {
        (KanModel generated, KanNetwork reference) = ModelCase.Pair(modelCase.CreateGenerated(5), parameterSeed: 13);
        KernelAgreement.Gradients(modelCase.ToString(), generated, reference, seed: 4, count: 60);
    }
}
