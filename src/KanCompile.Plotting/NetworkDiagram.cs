using System.Globalization;
using KanCompile.Plotting.Scene;

namespace KanCompile.Plotting;

/// <summary>
/// Lays out pykan's network diagram as a <see cref="DiagramScene"/>: one row of node dots per layer, inputs at
/// the bottom; every edge gets a small box with its curve, placed in a row between the two node rows in
/// edge order (input-major), with a stroke from its input node to the box and from the box to its output node.
/// The whole edge fades with its alpha. A multiplication node (pykan's MultKAN) is a dot marked ×, with one small
/// dot per factor (sub-node) just below it: the edges into a factor end there, and each factor joins its product.
/// </summary>
internal static class NetworkDiagram
{
    private const double Margin = 24.0;
    private const double LabelSize = 14.0;
    private const double TitleSize = 18.0;

    private static readonly SceneColor SymbolicRed = new(220, 0, 0);
    private static readonly SceneColor BothPurple = new(128, 0, 128);

    public static DiagramScene Build(KanModel model, IReadOnlyList<EdgeCurve>[] layers, KanPlotOptions options)
    {
        CheckNames(options.InputNames, model.InputCount, nameof(KanPlotOptions.InputNames), "inputs");
        CheckNames(options.OutputNames, model.OutputCount, nameof(KanPlotOptions.OutputNames), "outputs");

        int depth = model.Depth;
        int maxEdges = Enumerable.Range(0, depth).Max(l => model.NodeWidths[l] * model.SubnodeWidths[l + 1]);
        int maxNodes = model.NodeWidths.Max();

        // Boxes shrink for wide layers so the picture stays a readable size.
        double box = Math.Clamp(720.0 / maxEdges, 18.0, 60.0);
        double slot = box * 1.5;
        double innerWidth = Math.Max(Math.Max(maxEdges * slot, maxNodes * 36.0), 320.0);
        // Wide layers with small boxes still get tall rows, so the fan of strokes between them stays legible.
        double rowGap = Math.Max(box * 3.2, Math.Min(innerWidth / (2.5 * depth), 400.0));
        double nodeRadius = Math.Clamp(box * 0.1, 3.0, 6.0);
        double edgeWidth = Math.Clamp(box * 0.03, 0.8, 2.0);
        double curveWidth = Math.Clamp(box * 0.05, 1.0, 3.0);

        double top = Margin + (options.Title is null ? 0.0 : TitleSize + 14.0) + (options.OutputNames is null ? 0.0 : LabelSize + 10.0);
        double bottom = Margin + (options.InputNames is null ? 0.0 : LabelSize + 10.0);
        double width = innerWidth + 2 * Margin;
        double height = top + depth * rowGap + bottom;

        double RowY(int layer) => top + (depth - layer) * rowGap;
        double NodeX(int layer, int node) => Margin + innerWidth * (node + 0.5) / model.NodeWidths[layer];

        // A multiplication node's factors (its sub-nodes) get their own small dots, side by side just below it, so the
        // edges that build each factor meet at that factor before the product is taken.
        double subnodeGap = Math.Min(0.5 * (rowGap / 2 - box / 2), 30.0);
        double SubnodeY(int layer) => RowY(layer) + subnodeGap;
        double SubnodeX(int layer, int subnode)
        {
            int node = model.NodeOfSubnode(layer, subnode);
            if (node < model.Widths[layer])
            {
                return NodeX(layer, node);
            }

            int arity = model.MultiplicationArity, factor = (subnode - model.Widths[layer]) % arity;
            double spacing = Math.Min(innerWidth / model.NodeWidths[layer] / (arity + 1), 24.0);
            return NodeX(layer, node) + (factor - (arity - 1) / 2.0) * spacing;
        }

        bool IsFactor(int layer, int subnode) => subnode >= model.Widths[layer];

        var groups = new List<SceneGroup>();
        for (int l = 0; l < depth; l++)
        {
            int edgesInLayer = model.NodeWidths[l] * model.SubnodeWidths[l + 1];
            double boxY = (RowY(l) + RowY(l + 1)) / 2 - box / 2;
            foreach (EdgeCurve curve in layers[l])
            {
                KanEdge edge = curve.Edge;
                int id = edge.Input * model.SubnodeWidths[l + 1] + edge.Output;
                double boxX = Margin + innerWidth * (id + 0.5) / edgesInLayer - box / 2;
                SceneColor color = ColorOf(curve.Kind);
                var shapes = new List<SceneShape>
                {
                    new SceneLine(NodeX(l, edge.Input), RowY(l), boxX + box / 2, boxY + box, color, edgeWidth),
                    // An edge into a multiplication node's factor (sub-node) ends at that factor's dot.
                    IsFactor(l + 1, edge.Output)
                        ? new SceneLine(boxX + box / 2, boxY, SubnodeX(l + 1, edge.Output), SubnodeY(l + 1), color, edgeWidth)
                        : new SceneLine(boxX + box / 2, boxY, NodeX(l + 1, edge.Output), RowY(l + 1), color, edgeWidth),
                    new SceneBox(boxX, boxY, box, box, color, edgeWidth, "edge-box"),
                    new ScenePolyline(FitInBox(curve, boxX, boxY, box), color, curveWidth),
                };
                groups.Add(new SceneGroup("edge", curve.Alpha, EdgeAttributes(curve), shapes));
            }
        }

        for (int l = 1; l <= depth; l++)
        {
            var factors = new List<SceneShape>();
            for (int sub = model.Widths[l]; sub < model.SubnodeWidths[l]; sub++)
            {
                int node = model.NodeOfSubnode(l, sub);
                factors.Add(new SceneLine(SubnodeX(l, sub), SubnodeY(l), NodeX(l, node), RowY(l), SceneColor.Black, edgeWidth));
                factors.Add(new SceneCircle(SubnodeX(l, sub), SubnodeY(l), nodeRadius * 0.6, SceneColor.Black, "subnode"));
            }

            if (factors.Count > 0)
            {
                groups.Add(new SceneGroup("subnodes", 1.0, [new("layer", Invariant(l))], factors));
            }
        }

        for (int l = 0; l <= depth; l++)
        {
            var dots = new List<SceneShape>();
            for (int n = 0; n < model.NodeWidths[l]; n++)
            {
                dots.Add(new SceneCircle(NodeX(l, n), RowY(l), nodeRadius, SceneColor.Black, "node"));
                if (n >= model.Widths[l])
                {
                    // A multiplication node (pykan's MultKAN) is marked with a × beside its dot.
                    dots.Add(new SceneText(NodeX(l, n) + nodeRadius + LabelSize * 0.6, RowY(l) + LabelSize * 0.35, "×", LabelSize, "multiplication-node"));
                }
            }

            groups.Add(new SceneGroup("nodes", 1.0, [new("layer", Invariant(l))], dots));
        }

        var labels = new List<SceneShape>();
        if (options.Title is not null)
        {
            labels.Add(new SceneText(width / 2, Margin + TitleSize, options.Title, TitleSize, "title"));
        }

        for (int n = 0; n < (options.InputNames?.Count ?? 0); n++)
        {
            labels.Add(new SceneText(NodeX(0, n), RowY(0) + nodeRadius + 8 + LabelSize, options.InputNames![n], LabelSize, "input-name"));
        }

        for (int n = 0; n < (options.OutputNames?.Count ?? 0); n++)
        {
            labels.Add(new SceneText(NodeX(depth, n), RowY(depth) - nodeRadius - 8, options.OutputNames![n], LabelSize, "output-name"));
        }

        if (labels.Count > 0)
        {
            groups.Add(new SceneGroup("labels", 1.0, [], labels));
        }

        return new DiagramScene(width, height, options.Title, groups);
    }

    /// <summary>Maps the curve into the box with a margin, each axis scaled to its own range like pykan's per-edge axes.</summary>
    private static List<(double X, double Y)> FitInBox(EdgeCurve edge, double boxX, double boxY, double box)
    {
        double pad = box * 0.12, span = box - 2 * pad;
        double xLow = edge.X[0], xHigh = edge.X[^1];
        double yLow = edge.Y.Min(), yHigh = edge.Y.Max();
        bool flat = !(yHigh - yLow > 1e-12 * Math.Max(1.0, Math.Abs(yHigh)));
        var points = new List<(double X, double Y)>(edge.X.Length);
        for (int p = 0; p < edge.X.Length; p++)
        {
            double u = (edge.X[p] - xLow) / (xHigh - xLow);
            double v = flat ? 0.5 : (edge.Y[p] - yLow) / (yHigh - yLow);
            points.Add((boxX + pad + u * span, boxY + pad + (1.0 - v) * span));
        }

        return points;
    }

    private static SceneColor ColorOf(KanEdgeKind kind) => kind switch
    {
        KanEdgeKind.Symbolic => SymbolicRed,
        KanEdgeKind.Both => BothPurple,
        _ => SceneColor.Black,
    };

    private static KeyValuePair<string, string>[] EdgeAttributes(EdgeCurve edge)
    {
        var attributes = new List<KeyValuePair<string, string>>
        {
            new("layer", Invariant(edge.Edge.Layer)),
            new("input", Invariant(edge.Edge.Input)),
            new("output", Invariant(edge.Edge.Output)),
            new("kind", edge.Kind.ToString().ToLowerInvariant()),
            new("alpha", edge.Alpha.ToString("R", CultureInfo.InvariantCulture)),
        };
        if (edge.Score is double score)
        {
            attributes.Add(new("score", score.ToString("R", CultureInfo.InvariantCulture)));
        }

        return attributes.ToArray();
    }

    private static void CheckNames(IReadOnlyList<string>? names, int count, string option, string what)
    {
        if (names is not null && names.Count != count)
        {
            throw new ArgumentException($"KanPlotOptions.{option} has {names.Count} names but the model has {count} {what}; give one name per {what[..^1]}.", "options");
        }
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
