using KanCompile.Generators.Emit;

namespace KanCompile;

public abstract partial class KanModel
{
    /// <summary>Checks a row-major sample batch for UpdateGrid/Refine and returns the number of samples.</summary>
    private int CountGridSamples(ReadOnlySpan<double> inputs, string parameterName) =>
        SampleBatch.CountFinite(inputs, InputCount, parameterName, minSamples: 2, what: parameterName, purpose: "placing grid knots");

    /// <summary>
    /// Traces every sample through <paramref name="kernel"/>: node values into <paramref name="nodes"/>
    /// ([sample][node]) and, when <paramref name="splines"/> is not null, unscaled spline values ([sample][edge]).
    /// </summary>
    private void TraceSamples(KanKernelHandle kernel, ReadOnlySpan<double> inputs, int count, double[] nodes, double[]? splines)
    {
        var layout = kernel.Layout;
        int inputCount = InputCount;
        long work = (long)count * (layout.EdgeCount * (SplineOrder + 1) + layout.NodeCount * 8);
        int chunks = work < ParallelWorkThreshold || Environment.ProcessorCount == 1 ? 1 : Math.Min(count, Environment.ProcessorCount * 4);
        double[] samples = inputs.ToArray();
        double[] masks = _masks;

        // Every sample writes its own rows of nodes/splines, so chunks run independently and the result does
        // not depend on the number of threads.
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, chunk =>
        {
            var edgeValues = new double[layout.EdgeCount];
            var splineScratch = new double[layout.EdgeCount];
            int from = (int)((long)count * chunk / chunks), to = (int)((long)count * (chunk + 1) / chunks);
            for (int s = from; s < to; s++)
            {
                kernel.Kernel.Trace(
                    samples.AsSpan(s * inputCount, inputCount),
                    kernel.Parameters,
                    kernel.KnotTable,
                    masks,
                    nodes.AsSpan(s * layout.NodeCount, layout.NodeCount),
                    edgeValues,
                    splines is null ? splineScratch : splines.AsSpan(s * layout.EdgeCount, layout.EdgeCount));
            }
        });
    }

    /// <summary>A kernel with the buffers it reads: the model's own, or a grid update's work in progress.</summary>
    private readonly record struct KanKernelHandle(Compilation.KanKernel Kernel, KernelLayout Layout, double[] Parameters, double[] KnotTable);
}
