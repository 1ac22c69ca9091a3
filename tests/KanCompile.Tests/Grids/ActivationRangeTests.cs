namespace KanCompile.Tests.Grids;

/// <summary><see cref="KanModel.WithinActivationRange"/>: which samples stay inside the reference samples' range at every node.</summary>
public class ActivationRangeTests
{
    [Fact]
    public void Flags_samples_outside_the_reference_range_at_an_input_or_a_hidden_node()
    {
        var model = new KanNetwork(new[] { 2, 1, 1 }, gridSize: 5, seed: 3, engine: KanEngine.Reference);
        // Input box [-0.5, 0.5]² from the anti-diagonal corners, so the hidden range need not cover the box.
        double[] reference = { -0.5, 0.5, 0.5, -0.5, 0.0, 0.2, -0.2, 0.4 };

        // Every reference sample is within its own range; a sample beyond x₀'s range is not.
        Assert.All(model.WithinActivationRange(reference, reference), flag => Assert.True(flag));
        bool[] flags = model.WithinActivationRange(new[] { 0.1, 0.1, 0.9, 0.0, 0.0, 0.2 }, reference);
        Assert.False(flags[1]);
        Assert.True(flags[2]);

        // The hidden node is the first layer alone: a [2,1] network with the same first-layer parameters.
        var firstLayer = new KanNetwork(new[] { 2, 1 }, gridSize: 5, seed: 3, engine: KanEngine.Reference);
        model.Parameters.Slice(0, firstLayer.ParameterCount).CopyTo(firstLayer.Parameters);
        var hidden = new double[1];
        double Hidden(double a, double b)
        {
            firstLayer.Forward(new[] { a, b }, hidden);
            return hidden[0];
        }

        double[] referenceHidden = Enumerable.Range(0, 4).Select(s => Hidden(reference[2 * s], reference[2 * s + 1])).ToArray();
        int outsideHiddenOnly = 0;
        for (int p = 0; p <= 20; p++)
        {
            for (int q = 0; q <= 20; q++)
            {
                double a = -0.5 + 0.05 * p, b = -0.5 + 0.05 * q;
                double h = Hidden(a, b);
                bool insideHidden = h >= referenceHidden.Min() && h <= referenceHidden.Max();
                outsideHiddenOnly += insideHidden ? 0 : 1;
                Assert.Equal(insideHidden, model.WithinActivationRange(new[] { a, b }, reference)[0]);
            }
        }

        // The check must have met samples inside the input box but outside the hidden range.
        Assert.True(outsideHiddenOnly > 0);
    }
}
