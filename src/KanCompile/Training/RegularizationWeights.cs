namespace KanCompile.Training;

/// <summary>The weights inside pykan's <c>reg</c> (kan-math §2.10): λ_l1, λ_entropy, λ_coef, λ_coefdiff.</summary>
internal readonly record struct RegularizationWeights(double L1, double Entropy, double Coef, double CoefDiff)
{
    public static RegularizationWeights From(FitOptions options) =>
        new(options.LambdaL1, options.LambdaEntropy, options.LambdaCoef, options.LambdaCoefDiff);
}
