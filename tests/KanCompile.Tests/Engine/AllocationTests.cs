using KanCompile.Tests.Support;

namespace KanCompile.Tests.Engine;

/// <summary>Forward and Backward allocate nothing once warm (steady state: see <see cref="AllocationProbe"/>).</summary>
public class AllocationTests
{
    [Theory]
    [MemberData(nameof(ModelCase.All), MemberType = typeof(ModelCase))]
    public void Forward_and_backward_allocate_nothing_after_warm_up(ModelCase modelCase)
    {
        var model = (IKanModel)modelCase.CreateGenerated(1);
        var x = Enumerable.Range(0, model.InputCount).Select(i => 0.1 * i - 0.3).ToArray();
        var y = new double[model.OutputCount];
        var outputGradient = Enumerable.Repeat(1.0, model.OutputCount).ToArray();
        var gradient = new double[model.ParameterCount];
        var inputGradient = new double[model.InputCount];
        long forwardBytes = AllocationProbe.SteadyStateBytes(() => model.Forward(x, y));
        long backwardBytes = AllocationProbe.SteadyStateBytes(() => model.Backward(x, outputGradient, gradient, inputGradient));
        Assert.Equal(0, forwardBytes);
        Assert.Equal(0, backwardBytes);
    }
}
