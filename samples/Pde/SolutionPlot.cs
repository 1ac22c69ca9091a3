using KanCompile.Pde;
using ScottPlot;

namespace KanCompile.Samples.Pde;

/// <summary>A PNG with the trained solution and its error against the reference, as two heat maps over the domain.</summary>
internal static class SolutionPlot
{
    public static void Write(string path, string title, KanModel model, PdeDomain domain, PdeFunction reference, string xName = "x", string yName = "y", int resolution = 121)
    {
        var points = new double[resolution * resolution * 2];
        for (int row = 0; row < resolution; row++)
        {
            for (int column = 0; column < resolution; column++)
            {
                int p = row * resolution + column;
                points[2 * p] = domain.Lower[0] + (domain.Upper[0] - domain.Lower[0]) * column / (resolution - 1);
                points[2 * p + 1] = domain.Upper[1] - (domain.Upper[1] - domain.Lower[1]) * row / (resolution - 1);
            }
        }

        var predicted = new double[resolution * resolution];
        model.Predict(points, predicted);
        var solution = new double[resolution, resolution];
        var error = new double[resolution, resolution];
        for (int row = 0; row < resolution; row++)
        {
            for (int column = 0; column < resolution; column++)
            {
                int p = row * resolution + column;
                solution[row, column] = predicted[p];
                error[row, column] = predicted[p] - reference(points.AsSpan(2 * p, 2));
            }
        }

        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        Panel(multiplot.GetPlot(0), solution, $"{title}: u", new ScottPlot.Colormaps.Viridis());
        Panel(multiplot.GetPlot(1), error, "u − reference", new ScottPlot.Colormaps.MellowRainbow());
        multiplot.SavePng(path, 1300, 560);

        void Panel(Plot plot, double[,] values, string caption, IColormap colormap)
        {
            var heatmap = plot.Add.Heatmap(values);
            heatmap.Colormap = colormap;
            heatmap.Extent = new CoordinateRect(domain.Lower[0], domain.Upper[0], domain.Lower[1], domain.Upper[1]);
            plot.Add.ColorBar(heatmap);
            plot.Title(caption);
            plot.XLabel(xName);
            plot.YLabel(yName);
        }
    }
}
