using KanCompile.Compilation;
using KanCompile.Engine;
using KanCompile.Symbolic;
using KanCompile.Tests.Models;
using KanCompile.Tests.Multiplication;
using KanCompile.Tests.Support;
using KanCompile.Training;

namespace KanCompile.Tests.Engine;

/// <summary>
/// The parameter gradient of a loss on outputs, Jacobians and Hessians (<see cref="KanModel.InputDerivativeLossGradient"/>)
/// against central differences of the loss itself, for every kind of second derivative, deep models, multiplication
/// nodes (arity 3 needs the product rule's third-order terms) and symbolic edges' affine parameters; and its bits for any
/// thread count.
/// </summary>
public class InputDerivativeGradientTests
{
    public static IEnumerable<object[]> Cases()
    {
        foreach (string shape in new[] { "Toy251", "Deep2321K4", "Quad342K2", "Quintic231K5", "MultKanArity3", "MultKan2x5m2x1" })
        {
            foreach (SecondDerivatives second in Enum.GetValues<SecondDerivatives>())
            {
                yield return [shape, second];
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradient_matches_central_differences(string shape, SecondDerivatives second)
    {
        KanModel model = shape switch
        {
            "Toy251" => new Toy251(2),
            "Deep2321K4" => new Deep2321K4(2),
            "Quad342K2" => new Quad342K2(2),
            "Quintic231K5" => new Quintic231K5(2),
            "MultKanArity3" => new MultKanArity3(2),
            _ => new MultKan2x5m2x1(2),
        };
        foreach (KanModel engine in new[] { model, ModelCase.Reference(model) })
        {
            Sampling.Randomize(engine.Parameters, 71);
            AssertGradient(engine, second, engine.Parameters, engine.ParameterCount, $"{shape} {second} {engine.GetType().Name}");
        }
    }

    [Theory]
    [InlineData(SecondDerivatives.Diagonal)]
    [InlineData(SecondDerivatives.Full)]
    public void Symbolic_edges_get_their_affine_gradient(SecondDerivatives second)
    {
        var model = new KanNetwork([2, 3, 1], gridSize: 5, seed: 3);
        Sampling.Randomize(model.Parameters, 41);
        model.FixSymbolic(new KanEdge(0, 0, 1), "sin", fitParameters: false);
        model.FixSymbolic(new KanEdge(0, 1, 2), "x^3", fitParameters: false);
        model.FixSymbolic(new KanEdge(1, 1, 0), "exp", fitParameters: false);
        model.SetSymbolicMode(new KanEdge(1, 2, 0), SymbolicMode.Both);
        model.FixSymbolic(new KanEdge(1, 2, 0), "tanh", fitParameters: false);
        Span<double> affine = model.SymbolicParameters;
        for (int p = 0; p < affine.Length; p++)
        {
            affine[p] = 0.3 + 0.1 * (p % 7);
        }

        // One vector [splines | affine], as Fit trains it; differences move each entry in the model.
        var combined = new double[model.ParameterCount + affine.Length];
        var gradient = new double[combined.Length];
        var loss = new DerivativeTestLoss(second, model.InputCount, 6);
        double[] inputs = loss.Inputs;
        model.InputDerivativeLossGradient(inputs, second, loss, gradient);
        double Objective() => loss.Total(model, inputs);
        CentralDifferences.AssertGradient(model.Parameters, gradient.AsSpan(0, model.ParameterCount), Objective, $"symbolic {second}: splines", 1e-6);
        CentralDifferences.AssertGradient(model.SymbolicParameters, gradient.AsSpan(model.ParameterCount), Objective, $"symbolic {second}: affine", 1e-6);
    }

    [Fact]
    public void Same_bits_for_any_thread_count()
    {
        var model = new Wide4x16x16x1(3);
        Sampling.Randomize(model.Parameters, 73);
        var loss = new DerivativeTestLoss(SecondDerivatives.Diagonal, model.InputCount, 100);
        KanKernel kernel = new ReferenceKernel(model.Layout.Spec);
        double[] Run(ChunkWorkers? workers)
        {
            var evaluator = new InputDerivativeLossEvaluator(model.ParameterCount);
            var gradient = new double[model.ParameterCount];
            double total = evaluator.Evaluate(kernel, loss.Inputs, model.InputCount, SecondDerivatives.Diagonal, loss, model.ParameterBuffer, model.KnotTable, model.MaskBuffer, gradient, workers);
            return [total, .. gradient];
        }

        double[] serial = Run(null);
        using var one = new ChunkWorkers(1);
        using var three = new ChunkWorkers(3);
        Assert.Equal(serial, Run(one));
        Assert.Equal(serial, Run(three));
    }

    [Fact]
    public void An_evaluation_on_chunk_workers_allocates_nothing()
    {
        var model = new Toy251(1);
        var loss = new DerivativeTestLoss(SecondDerivatives.Diagonal, model.InputCount, 64);
        var evaluator = new InputDerivativeLossEvaluator(model.ParameterCount);
        var gradient = new double[model.ParameterCount];
        using var workers = new ChunkWorkers(2);
        void Evaluate() => evaluator.Evaluate(model.Kernel, loss.Inputs, model.InputCount, SecondDerivatives.Diagonal, loss, model.ParameterBuffer, model.KnotTable, model.MaskBuffer, gradient, workers);
        for (int warm = 0; warm < 20; warm++)
        {
            Evaluate();
        }

        long leastCaller = long.MaxValue, leastWorkers = long.MaxValue;
        for (int round = 0; round < 4 && (leastCaller > 0 || leastWorkers > 0); round++)
        {
            Thread.Sleep(150);
            long caller = GC.GetAllocatedBytesForCurrentThread(), workerBytes = workers.WorkerAllocatedBytes;
            for (int call = 0; call < 20; call++)
            {
                Evaluate();
            }

            leastCaller = Math.Min(leastCaller, GC.GetAllocatedBytesForCurrentThread() - caller);
            leastWorkers = Math.Min(leastWorkers, workers.WorkerAllocatedBytes - workerBytes);
        }

        Assert.Equal(0, leastCaller);
        Assert.Equal(0, leastWorkers);
    }

    private static void AssertGradient(KanModel model, SecondDerivatives second, Span<double> parameters, int length, string what)
    {
        var loss = new DerivativeTestLoss(second, model.InputCount, 5);
        double[] inputs = loss.Inputs;
        var gradient = new double[length];
        double total = model.InputDerivativeLossGradient(inputs, second, loss, gradient);
        Assert.Equal(loss.Total(model, inputs), total, 12);
        CentralDifferences.AssertGradient(parameters, gradient, () => loss.Total(model, inputs), what, 1e-6);
    }
}
