using KanCompile.Engine;

namespace KanCompile.Tests.Multiplication;

/// <summary>
/// The sub-node layout of pykan's MultKAN (kan-math §1.1, §2.4), checked on hand-computed cases: there is no pykan
/// fixture for MultKAN, so parity rests on reproducing its definitions exactly — width_in = n_sum + n_mult,
/// width_out = n_sum + arity·n_mult, the first n_sum sub-nodes pass through, mult node m multiplies sub-nodes
/// n_sum + arity·m … n_sum + arity·m + arity − 1, node/sub-node affine frozen at scale 1, bias 0.
/// </summary>
public class MultiplicationLayoutTests
{
    [Fact]
    public void Widths_follow_pykan_width_in_and_width_out()
    {
        var model = new KanNetwork([2, 5, 1], multiplicationNodes: [0, 2, 0], engine: KanEngine.Reference);

        Assert.Equal(new[] { 2, 7, 1 }, model.NodeWidths);
        Assert.Equal(new[] { 2, 9, 1 }, model.SubnodeWidths);
        Assert.Equal(new[] { 2, 5, 1 }, model.Widths);
        Assert.Equal(new[] { 0, 2, 0 }, model.MultiplicationNodes);
        Assert.Equal(2, model.MultiplicationArity);

        // Edges: 2 inputs x 9 sub-nodes, then 7 nodes x 1 output; G+k = 8 coefficients + 2 scales each.
        Assert.Equal(2 * 9 + 7 * 1, model.Layout.EdgeCount);
        Assert.Equal((2 * 9 + 7) * (8 + 2), model.ParameterCount);
    }

    [Fact]
    public void Arity_three_layout_has_three_sub_nodes_per_product()
    {
        var model = new KanNetwork([3, 2, 1, 1], gridSize: 4, splineOrder: 2, multiplicationNodes: [0, 2, 1, 0], multiplicationArity: 3, engine: KanEngine.Reference);

        Assert.Equal(new[] { 3, 4, 2, 1 }, model.NodeWidths);
        Assert.Equal(new[] { 3, 8, 4, 1 }, model.SubnodeWidths);
        Assert.Equal(3 * 8 + 4 * 4 + 2 * 1, model.Layout.EdgeCount);
        Assert.Equal(0, model.NodeOfSubnode(1, 0));
        Assert.Equal(1, model.NodeOfSubnode(1, 1));
        Assert.Equal(2, model.NodeOfSubnode(1, 2));
        Assert.Equal(2, model.NodeOfSubnode(1, 4));
        Assert.Equal(3, model.NodeOfSubnode(1, 5));
        Assert.Equal(3, model.NodeOfSubnode(1, 7));
    }

    [Fact]
    public void Hand_computed_forward_of_a_two_two_one_mult_kan()
    {
        // pykan [2,[1,1],1], identity base, splines off (scale_sp = 0): every edge is scale_base * x.
        // Sub-nodes of layer 1: s0 = a0*x0 + a1*x1 (the addition node), s1 = b0*x0 + b1*x1, s2 = c0*x0 + c1*x1;
        // nodes: n0 = s0, n1 = s1*s2; output y = w0*n0 + w1*n1.
        double[] a = [0.5, -1.5], b = [2.0, 0.25], c = [-0.75, 3.0], w = [1.25, -0.5];
        foreach (KanEngine engine in new[] { KanEngine.Reference, KanEngine.Compiled })
        {
            var model = new KanNetwork([2, 1, 1], baseFunction: KanBaseFunction.Identity, engine: engine, multiplicationNodes: [0, 1, 0]);
            SetLinear(model, 0, [[a[0], b[0], c[0]], [a[1], b[1], c[1]]]);
            SetLinear(model, 1, [[w[0]], [w[1]]]);
            double x0 = 0.3, x1 = -0.8;
            double s0 = a[0] * x0 + a[1] * x1, s1 = b[0] * x0 + b[1] * x1, s2 = c[0] * x0 + c[1] * x1;
            double expected = w[0] * s0 + w[1] * (s1 * s2);

            var y = new double[1];
            model.Forward([x0, x1], y);
            Assert.Equal(expected, y[0], 14);

            var layout = model.Layout;
            double[] nodes = new double[layout.NodeCount], edges = new double[layout.EdgeCount], splines = new double[layout.EdgeCount];
            model.Kernel.Trace([x0, x1], model.ParameterBuffer, model.KnotTable, model.MaskBuffer, nodes, edges, splines);
            Assert.Equal(s0, nodes[layout.NodeOffset[1]], 14);
            Assert.Equal(s1 * s2, nodes[layout.NodeOffset[1] + 1], 14);
            Assert.Equal(s0, nodes[layout.SubnodeOffset[1]], 14);
            Assert.Equal(s1, nodes[layout.SubnodeOffset[1] + 1], 14);
            Assert.Equal(s2, nodes[layout.SubnodeOffset[1] + 2], 14);

            // dy/dx0 = w0*a0 + w1*(b0*s2 + s1*c0); dy/dx1 likewise.
            var gradient = new double[model.ParameterCount];
            var inputGradient = new double[2];
            model.Backward([x0, x1], [1.0], gradient, inputGradient);
            Assert.Equal(w[0] * a[0] + w[1] * (b[0] * s2 + s1 * c[0]), inputGradient[0], 13);
            Assert.Equal(w[0] * a[1] + w[1] * (b[1] * s2 + s1 * c[1]), inputGradient[1], 13);

            // dy/d(scale_base of x0 -> s1) = w1 * s2 * x0 (the product rule reaches the right factor).
            Assert.Equal(w[1] * s2 * x0, gradient[layout.ScaleBaseOffset[0] + 0 * 3 + 1], 13);
            Assert.Equal(w[1] * s1 * x1, gradient[layout.ScaleBaseOffset[0] + 1 * 3 + 2], 13);
        }
    }

    [Fact]
    public void Product_only_layer_computes_x_times_y_exactly()
    {
        var model = new KanNetwork([2, 0, 1], gridSize: 3, baseFunction: KanBaseFunction.Identity, multiplicationNodes: [0, 1, 0], engine: KanEngine.Reference);
        SetLinear(model, 0, [[1.0, 0.0], [0.0, 1.0]]);
        SetLinear(model, 1, [[1.0]]);
        var y = new double[1];
        foreach ((double x0, double x1) in new[] { (0.5, 0.25), (-3.0, 7.0), (0.0, 5.0) })
        {
            model.Forward([x0, x1], y);
            Assert.Equal(x0 * x1, y[0]);
        }
    }

    [Fact]
    public void Arity_three_product_multiplies_three_consecutive_sub_nodes()
    {
        // [1,[0,1],1], arity 3: the three edges of x carry scale_base 2, 3, 5, so y = (2x)(3x)(5x) = 30x^3.
        var model = new KanNetwork([1, 0, 1], gridSize: 3, baseFunction: KanBaseFunction.Identity, multiplicationNodes: [0, 1, 0], multiplicationArity: 3, engine: KanEngine.Compiled);
        SetLinear(model, 0, [[2.0, 3.0, 5.0]]);
        SetLinear(model, 1, [[1.0]]);
        var y = new double[1];
        model.Forward([0.7], y);
        Assert.Equal(30 * 0.7 * 0.7 * 0.7, y[0], 14);
    }

    /// <summary>Every edge of <paramref name="layer"/> = scale_base·x (splines off): <paramref name="weights"/>[i][j].</summary>
    internal static void SetLinear(KanModel model, int layer, double[][] weights)
    {
        var layout = model.Layout;
        int outputs = model.SubnodeWidths[layer + 1];
        for (int i = 0; i < weights.Length; i++)
        {
            for (int j = 0; j < outputs; j++)
            {
                int e = i * outputs + j;
                model.Parameters[layout.ScaleBaseOffset[layer] + e] = weights[i][j];
                model.Parameters[layout.ScaleSplineOffset[layer] + e] = 0.0;
            }
        }
    }
}
