using System.Globalization;
using KanCompile.Interpretability.Hypotheses;
using KanCompile.Plotting.Scene;

namespace KanCompile.Plotting;

/// <summary>
/// Lays out a <see cref="DependencyTree"/> as pykan's <c>plot_tree</c> (style "tree") does: the inputs in tree order
/// along the bottom, one row per level above them, each node centred over the inputs it covers. A node whose
/// children combine additively, multiplicatively or generally separably is reached by blue strokes from its
/// children, with a red + or × for the first two; a node passing a single child through is a vertical stroke; a
/// node with no property is a box over its children. The top node leads to the output.
/// </summary>
internal static class DependencyTreeDiagram
{
    private const double Margin = 24.0;
    private const double LabelSize = 16.0;
    private const double TitleSize = 18.0;
    private const double Column = 70.0;
    private const double Row = 80.0;

    private static readonly SceneColor Blue = new(0, 0, 255);
    private static readonly SceneColor Red = new(220, 0, 0);

    public static DiagramScene Build(DependencyTree tree, IReadOnlyList<string>? inputNames, string? title)
    {
        var order = tree.InputOrder;
        int n = order.Count;
        if (inputNames is not null && inputNames.Count != n)
        {
            throw new ArgumentException($"{inputNames.Count} input names were given for a tree of {n} inputs; give one name per input.", nameof(inputNames));
        }

        int levels = tree.Molecules.Count;
        double top = Margin + (title is null ? 0.0 : TitleSize + 14.0) + LabelSize + 10.0;
        double width = Math.Max(n * Column, 240.0) + 2 * Margin;
        double height = top + levels * Row + LabelSize + 10.0 + Margin;
        double Y(int level) => top + (levels - 1 - level) * Row + Row / 2;
        double InputX(int input) => Margin + (width - 2 * Margin) * (order.ToList().IndexOf(input) + 0.5) / n;
        double X(IReadOnlyList<int> molecule) => molecule.Average(InputX);

        var groups = new List<SceneGroup>();
        for (int level = 1; level < levels; level++)
        {
            foreach (var node in tree.Nodes[level - 1])
            {
                double x = X(node.Inputs), y = Y(level);
                var shapes = new List<SceneShape>();
                switch (node.Property)
                {
                    case DependencyProperty.Identity:
                        shapes.Add(new SceneLine(x, Y(level - 1), x, y, SceneColor.Black, 1.5));
                        break;
                    case DependencyProperty.None:
                        double left = node.Children.Min(c => X(c)) - Column * 0.35, right = node.Children.Max(c => X(c)) + Column * 0.35;
                        foreach (var child in node.Children)
                        {
                            shapes.Add(new SceneLine(X(child), Y(level - 1), X(child), y + Row * 0.2, SceneColor.Black, 1.5));
                        }

                        shapes.Add(new SceneBox(left, y - Row * 0.2, right - left, Row * 0.4, SceneColor.Black, 1.5, "tree-box"));
                        break;
                    default:
                        foreach (var child in node.Children)
                        {
                            shapes.Add(new SceneLine(X(child), Y(level - 1), x, y, Blue, 1.5));
                        }

                        if (node.Property is DependencyProperty.Additive or DependencyProperty.Multiplicative)
                        {
                            shapes.Add(new SceneText(x + LabelSize, y - 2, node.Property == DependencyProperty.Additive ? "+" : "×", LabelSize * 1.6, "tree-operation"));
                        }

                        break;
                }

                // The top node leads up to the output (lower nodes are joined by their parents' strokes).
                if (level == levels - 1)
                {
                    shapes.Add(new SceneLine(x, y, x, y - Row * 0.45, SceneColor.Black, 1.5));
                }
                groups.Add(new SceneGroup("tree-node", 1.0,
                [
                    new("level", level.ToString(CultureInfo.InvariantCulture)),
                    new("inputs", string.Join(" ", node.Inputs.Select(i => i.ToString(CultureInfo.InvariantCulture)))),
                    new("property", node.Property.ToString().ToLowerInvariant()),
                ], shapes));
            }
        }

        var labels = new List<SceneShape>();
        if (title is not null)
        {
            labels.Add(new SceneText(width / 2, Margin + TitleSize, title, TitleSize, "title"));
        }

        foreach (int input in order)
        {
            string name = inputNames?[input] ?? "x" + (input + 1).ToString(CultureInfo.InvariantCulture);
            labels.Add(new SceneText(InputX(input), Y(0) + 8 + LabelSize, name, LabelSize, "input-name"));
            labels.Add(new SceneCircle(InputX(input), Y(0), 3.0, SceneColor.Black, "node"));
        }

        labels.Add(new SceneText(X(order), Y(levels - 1) - Row * 0.45 - 6, "y", LabelSize, "output-name"));
        groups.Add(new SceneGroup("labels", 1.0, [], labels));
        return new DiagramScene(width, height, title, groups);
    }
}
