using KanCompile.Generators.Emit;

namespace KanCompile;

public abstract partial class KanModel
{
    /// <summary>Checks a row-major sample batch for UpdateGrid/Refine and returns the number of samples.</summary>
    private int CountGridSamples(ReadOnlySpan<double> inputs, string parameterName)
    {
        int inputCount = InputCount;
        if (inputs.Length == 0 || inputs.Length % inputCount != 0)
        {
            throw new ArgumentException(
                $"The sample batch has {inputs.Length} values; pass row-major samples of {inputCount} inputs each (a non-zero multiple of {inputCount}).",
                parameterName);
        }

        int count = inputs.Length / inputCount;
        if (count < 2)
        {
            throw new ArgumentException("At least 2 samples are needed to place grid knots; pass more samples.", parameterName);
        }

        for (int index = 0; index < inputs.Length; index++)
        {
            if (!double.IsFinite(inputs[index]))
            {
                throw new ArgumentException(
                    $"Sample {index / inputCount}, input {index % inputCount} is {inputs[index]}; grid updates need finite inputs. Remove or impute that sample.",
                    parameterName);
            }
        }

        return count;
    }

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
