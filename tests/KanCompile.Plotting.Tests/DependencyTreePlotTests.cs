using KanCompile.Interpretability.Hypotheses;

namespace KanCompile.Plotting.Tests;

/// <summary>pykan's plot_tree (PlotTree) for <see cref="KanHypotheses.GetTree"/> (issue 18 item 1).</summary>
public sealed class DependencyTreePlotTests
{
    /// <summary>a + b·c with its exact gradient and Hessian.</summary>
    private static readonly DifferentiableFunction SumOfProduct = new(3, (x, gradient, hessian) =>
    {
        if (!gradient.IsEmpty)
        {
            gradient[0] = 1.0;
            gradient[1] = x[2];
            gradient[2] = x[1];
        }

        if (!hessian.IsEmpty)
        {
            hessian.Clear();
            hessian[1 * 3 + 2] = hessian[2 * 3 + 1] = 1.0;
        }

        return x[0] + x[1] * x[2];
    });

    private static DependencyTree Tree()
    {
        var random = new Random(3);
        return KanHypotheses.GetTree(SumOfProduct, Enumerable.Range(0, 300).Select(_ => 2 * random.NextDouble() - 1).ToArray());
    }

    [Fact]
    public void TreeDrawsEachNodeWithItsProperty()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("tree.svg");
        Tree().PlotTree(path, ["a", "b", "c"], "a + b·c");

        var svg = SvgDocument.Load(path);
        var nodes = svg.Elements("g", "tree-node").ToArray();
        Assert.Equal(["identity:0", "generalseparable:1 2", "additive:0 1 2"], nodes.Select(g => $"{g.Attribute("data-property")!.Value}:{g.Attribute("data-inputs")!.Value}"));
        Assert.Equal(["+"], svg.Elements("text", "tree-operation").Select(t => t.Value));
        Assert.Equal(["a", "b", "c"], svg.Elements("text", "input-name").Select(t => t.Value));
        Assert.Equal("a + b·c", svg.Elements("text", "title").Single().Value);
    }

    [Fact]
    public void TreeDrawsAsPngAndRefusesOtherFilesAndWrongNames()
    {
        using var directory = new TemporaryDirectory();
        string png = directory.File("tree.png");
        Tree().PlotTree(png);
        Assert.True(new FileInfo(png).Length > 1000);
        Assert.Throws<ArgumentException>(() => Tree().PlotTree(directory.File("tree.pdf")));
        var names = Assert.Throws<ArgumentException>(() => Tree().PlotTree(directory.File("tree.svg"), ["a", "b"]));
        Assert.Contains("one name per input", names.Message);
    }
}
