namespace KanCompile.Tests.Engine;

/// <summary>Input-derivative calls with spans that do not fit the model fail with a message naming the span and its layout.</summary>
public class InputDerivativeErrorTests
{
    private readonly KanNetwork _model = new([2, 3, 2], gridSize: 4, seed: 1);

    [Theory]
    [InlineData(3, 2, 4, 0, SecondDerivatives.None, "input", "2 inputs")]
    [InlineData(2, 1, 4, 0, SecondDerivatives.None, "output", "2 outputs")]
    [InlineData(2, 2, 2, 0, SecondDerivatives.None, "jacobian", "[output][input], 2 × 2 = 4")]
    [InlineData(2, 2, 4, 4, SecondDerivatives.None, "hessian", "SecondDerivatives.None")]
    [InlineData(2, 2, 4, 8, SecondDerivatives.Diagonal, "hessian", "[output][input] with SecondDerivatives.Diagonal, 2 × 2 = 4")]
    [InlineData(2, 2, 4, 4, SecondDerivatives.Full, "hessian", "[output][input][input] with SecondDerivatives.Full, 2 × 2 × 2 = 8")]
    public void Wrong_lengths_name_the_span(int input, int output, int jacobian, int hessian, SecondDerivatives second, string parameter, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => _model.InputDerivatives(new double[input], new double[output], new double[jacobian], new double[hessian], second));
        Assert.Equal(parameter, error.ParamName);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void An_unknown_mode_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _model.InputDerivatives(new double[2], new double[2], new double[4], new double[4], (SecondDerivatives)7));
    }

    [Theory]
    [InlineData(5, 2, 4, 0, "inputs", "not a multiple of 2")]
    [InlineData(6, 5, 12, 0, "outputs", "3 samples need 3 × 2 = 6")]
    [InlineData(6, 6, 11, 0, "jacobians", "3 samples need 3 × 4 = 12")]
    [InlineData(6, 6, 12, 11, "hessians", "3 samples need 3 × 4 = 12")]
    public void Wrong_batch_lengths_name_the_span(int inputs, int outputs, int jacobians, int hessians, string parameter, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => _model.InputDerivativesBatch(new double[inputs], new double[outputs], new double[jacobians], new double[hessians], SecondDerivatives.Diagonal));
        Assert.Equal(parameter, error.ParamName);
        Assert.Contains(message, error.Message);
    }
}
