using KanCompile.Symbolic;
using KanCompile.Tests.Models;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.SymbolicModel;

/// <summary>
/// Mixed models (edges symbolic only, numeric only and both) against central finite differences: spline
/// parameters, the affine (a, b, c, d) of every edge, and inputs — in the reference engine and a generated model.
/// </summary>
public class SymbolicGradientTests
{
    /// <summary>Makes a model mixed: fixes a few edges (no fitting, random affine) and sets one to 'sn'.</summary>
    internal static void MakeMixed(KanModel model, int seed)
    {
        var random = new Random(seed);
        model.FixSymbolic(new KanEdge(0, 0, 0), "sin", fitParameters: false);
        model.FixSymbolic(new KanEdge(0, 1, 1), "x^2", fitParameters: false);
        model.FixSymbolic(new KanEdge(1, 1, 0), "tanh", fitParameters: false);
        model.FixSymbolic(new KanEdge(0, 1, 0), "exp", fitParameters: false);
        model.SetSymbolicMode(new KanEdge(0, 1, 0), SymbolicMode.Both);
        Span<double> affine = model.SymbolicParameters;
        for (int p = 0; p < affine.Length; p++)
        {
            affine[p] = random.NextDouble() * 1.2 - 0.6 + (p % 4 == 0 || p % 4 == 2 ? 1.0 : 0.0);
        }
    }

    [Fact]
    public void Reference_mixed_model_gradients_match_central_differences()
    {
        var model = new KanNetwork([2, 3, 1], gridSize: 5, seed: 3, engine: KanEngine.Reference);
        Sampling.Randomize(model.Parameters, 17);
        MakeMixed(model, 5);
        Assert.True(model.HasSymbolicEdges);
        CheckGradients(model, model.Forward, model.Backward);
    }

    [Fact]
    public void Generated_mixed_model_gradients_match_central_differences()
    {
        var model = new Toy251(3);
        Sampling.Randomize(model.Parameters, 19);
        MakeMixed(model, 7);
        Assert.True(model.HasSymbolicEdges);
        CheckGradients(model, model.Forward, model.Backward);
    }

    [Fact]
    public void Generated_and_reference_mixed_models_agree()
    {
        var generated = new Toy251(3);
        var reference = new KanNetwork([2, 5, 1], gridSize: 5, seed: 3, engine: KanEngine.Reference);
        Sampling.Randomize(generated.Parameters, 19);
        generated.Parameters.CopyTo(reference.Parameters);
        MakeMixed(generated, 7);
        MakeMixed(reference, 7);
        var random = new Random(2);
        var a = new double[1];
        var b = new double[1];
        for (int s = 0; s < 20; s++)
        {
            double[] x = [random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1];
            generated.Forward(x, a);
            reference.Forward(x, b);
            Assert.Equal(b[0], a[0], 12);
        }
    }

    /// <summary>ψ adds to φ at the node: a one-layer model's output is the spline-only output plus Σ smask·(c·f(a·x+b)+d).</summary>
    [Fact]
    public void Symbolic_branch_adds_to_the_numeric_branch()
    {
        var model = new KanNetwork([2, 1], gridSize: 4, seed: 2, engine: KanEngine.Reference);
        Sampling.Randomize(model.Parameters, 3);
        var splineOnly = new KanNetwork([2, 1], gridSize: 4, seed: 2, engine: KanEngine.Reference);
        model.Parameters.CopyTo(splineOnly.Parameters);
        model.FixSymbolic(new KanEdge(0, 0, 0), "sin", fitParameters: false);
        model.SetSymbolicMode(new KanEdge(0, 0, 0), SymbolicMode.Both);
        model.FixSymbolic(new KanEdge(0, 1, 0), "x^3", fitParameters: false);
        (double a, double b, double c, double d)[] affine = [(1.3, -0.2, 0.7, 0.1), (-0.9, 0.4, 1.5, -0.3)];
        for (int e = 0; e < 2; e++)
        {
            (model.SymbolicParameters[4 * e], model.SymbolicParameters[4 * e + 1], model.SymbolicParameters[4 * e + 2], model.SymbolicParameters[4 * e + 3]) = affine[e];
        }

        // Edge (0,1,0) is symbolic only: its numeric branch is masked.
        splineOnly.SetMask(new KanEdge(0, 1, 0), 0.0);
        double[] x = [0.37, -0.61];
        var y = new double[1];
        var numeric = new double[1];
        model.Forward(x, y);
        splineOnly.Forward(x, numeric);
        double psi = affine[0].c * Math.Sin(affine[0].a * x[0] + affine[0].b) + affine[0].d
            + affine[1].c * Math.Pow(affine[1].a * x[1] + affine[1].b, 3) + affine[1].d;
        Assert.Equal(numeric[0] + psi, y[0], 13);

        // Unfixing everything returns the compiled spline path (numeric masks back to 1, as pykan).
        model.UnfixSymbolicAll();
        Assert.False(model.HasSymbolicEdges);
        splineOnly.SetMask(new KanEdge(0, 1, 0), 1.0);
        model.Forward(x, y);
        splineOnly.Forward(x, numeric);
        Assert.Equal(numeric[0], y[0], 15);
    }

    private delegate void ForwardCall(ReadOnlySpan<double> input, Span<double> output);

    private delegate void BackwardCall(ReadOnlySpan<double> input, ReadOnlySpan<double> outputGradient, Span<double> parameterGradient, Span<double> inputGradient);

    private static void CheckGradients(KanModel model, ForwardCall forward, BackwardCall backward)
    {
        var random = new Random(23);
        int outputs = model.OutputCount;
        var weights = Enumerable.Range(0, outputs).Select(o => 1.0 - 0.3 * o).ToArray();
        var y = new double[outputs];
        double Objective(double[] input)
        {
            forward(input, y);
            return y.Select((v, o) => v * weights[o]).Sum();
        }

        var kernel = model.SymbolicKernel!;
        int splineCount = model.ParameterCount;
        for (int trial = 0; trial < 3; trial++)
        {
            var x = Enumerable.Range(0, model.InputCount).Select(_ => random.NextDouble() * 1.6 - 0.8).ToArray();

            // Public Backward: spline parameters and inputs.
            var gradient = new double[splineCount];
            var inputGradient = new double[model.InputCount];
            backward(x, weights, gradient, inputGradient);
            CentralDifferences.AssertGradient(model.Parameters, gradient, () => Objective(x), "dθ");
            CentralDifferences.AssertGradient(x, inputGradient, () => Objective(x), "dx");

            // The combined vector Fit trains: [splines | affine]; its spline part must match the public gradient.
            var combined = new double[kernel.CombinedParameterCount];
            model.Parameters.CopyTo(combined);
            model.SymbolicParameters.CopyTo(combined.AsSpan(splineCount));
            var combinedGradient = new double[combined.Length];
            kernel.Backward(x, weights, false, 0.0, combined, model.KnotTable, model.MaskBuffer, combinedGradient, default, default);
            for (int p = 0; p < splineCount; p++)
            {
                Assert.Equal(gradient[p], combinedGradient[p], 14);
            }

            CentralDifferences.AssertGradient(model.SymbolicParameters, combinedGradient.AsSpan(splineCount), () => Objective(x), "d affine");
            int nonZero = combinedGradient.Skip(splineCount).Count(g => g != 0.0);

            // Four edges are symbolic: 16 affine parameters with (generically) non-zero gradients.
            Assert.True(nonZero >= 14, $"only {nonZero} affine gradients are non-zero");
        }
    }
}
