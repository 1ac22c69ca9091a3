using KanCompile.Plotting.Scene;

namespace KanCompile.Plotting.Tests;

public sealed class PngOutputTests(FittedToyModel fitted) : IClassFixture<FittedToyModel>
{
    [Fact]
    public void NetworkPng_HasTheSceneSizeAtTheRequestedScale_AndIsDrawnOn()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("toy.png");
        var options = new KanPlotOptions { InputNames = ["x", "y"], OutputNames = ["f"], Title = "toy", PngScale = 1.5 };
        fitted.Model.Plot(path, options);

        DiagramScene scene = NetworkDiagram.Build(fitted.Model, EdgeCurveSampler.Sample(fitted.Model, options), options);
        var (width, height) = PngFile.ReadHeader(path);
        Assert.Equal((int)Math.Ceiling(scene.Width * 1.5), width);
        Assert.Equal((int)Math.Ceiling(scene.Height * 1.5), height);
        Assert.InRange(width, 400, 4000);
        Assert.InRange(height, 300, 4000);

        // Strokes, dots and curves cover some of the canvas but it is mostly white paper.
        double dark = PngFile.DarkFraction(path);
        Assert.InRange(dark, 0.005, 0.3);
    }

    [Fact]
    public void Labels_AreRasterised()
    {
        // Fonts are the fragile part of a self-contained Skia build: text must reach the pixels.
        var scene = new DiagramScene(200, 60, null, [new SceneGroup("labels", 1.0, [], [new SceneText(100, 40, "KAN x0 → y", 24, "title")])]);
        using var directory = new TemporaryDirectory();
        string path = directory.File("text.png");
        using (var stream = File.Create(path))
        {
            SkiaSceneRenderer.WritePng(scene, 1.0, stream);
        }

        Assert.True(PngFile.DarkFraction(path) > 0.01, "no text pixels were drawn");
    }

    [Fact]
    public void LossPng_HasTheRequestedSize()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("loss.png");
        fitted.Result.PlotLoss(path, width: 640, height: 400);

        Assert.Equal((640, 400), PngFile.ReadHeader(path));
        Assert.InRange(PngFile.DarkFraction(path), 0.002, 0.5);
    }

    [Fact]
    public void LossPng_RejectsOtherExtensions()
    {
        var error = Assert.Throws<ArgumentException>(() => fitted.Result.PlotLoss("loss.svg"));
        Assert.Contains("must end in .png", error.Message, StringComparison.Ordinal);
    }
}
