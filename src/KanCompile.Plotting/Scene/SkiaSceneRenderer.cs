using SkiaSharp;

namespace KanCompile.Plotting.Scene;

/// <summary>Rasterises a <see cref="DiagramScene"/> to PNG with SkiaSharp, shape for shape as the SVG writer.</summary>
internal static class SkiaSceneRenderer
{
    public static void WritePng(DiagramScene scene, double pixelsPerUnit, Stream stream)
    {
        int width = (int)Math.Ceiling(scene.Width * pixelsPerUnit);
        int height = (int)Math.Ceiling(scene.Height * pixelsPerUnit);
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"SkiaSharp could not allocate a {width}×{height} surface; lower PngScale.");
        SKCanvas canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        canvas.Scale((float)pixelsPerUnit);
        SKTypeface typeface = DiagramFont.Typeface;
        foreach (SceneGroup group in scene.Groups)
        {
            DrawGroup(canvas, group, typeface);
        }

        using SKImage image = surface.Snapshot();
        using SKData png = image.Encode(SKEncodedImageFormat.Png, 100);
        png.SaveTo(stream);
    }

    private static void DrawGroup(SKCanvas canvas, SceneGroup group, SKTypeface typeface)
    {
        if (group.Opacity <= 0.0)
        {
            return;
        }

        bool layered = group.Opacity < 1.0;
        if (layered)
        {
            // One offscreen layer per group: the group fades as a whole, like SVG group opacity.
            using var layerPaint = new SKPaint { Color = SKColors.Black.WithAlpha((byte)Math.Round(group.Opacity * 255)) };
            canvas.SaveLayer(layerPaint);
        }

        foreach (SceneShape shape in group.Shapes)
        {
            DrawShape(canvas, shape, typeface);
        }

        if (layered)
        {
            canvas.Restore();
        }
    }

    private static void DrawShape(SKCanvas canvas, SceneShape shape, SKTypeface typeface)
    {
        switch (shape)
        {
            case SceneLine line:
                using (var paint = StrokePaint(line.Stroke, line.StrokeWidth))
                {
                    canvas.DrawLine((float)line.X1, (float)line.Y1, (float)line.X2, (float)line.Y2, paint);
                }

                break;
            case ScenePolyline polyline:
                using (var paint = StrokePaint(polyline.Stroke, polyline.StrokeWidth))
                using (var path = new SKPath())
                {
                    path.MoveTo((float)polyline.Points[0].X, (float)polyline.Points[0].Y);
                    for (int p = 1; p < polyline.Points.Count; p++)
                    {
                        path.LineTo((float)polyline.Points[p].X, (float)polyline.Points[p].Y);
                    }

                    paint.StrokeJoin = SKStrokeJoin.Round;
                    canvas.DrawPath(path, paint);
                }

                break;
            case SceneCircle circle:
                using (var paint = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill, Color = ToSkia(circle.Fill) })
                {
                    canvas.DrawCircle((float)circle.CenterX, (float)circle.CenterY, (float)circle.Radius, paint);
                }

                break;
            case SceneBox box:
                var rect = SKRect.Create((float)box.X, (float)box.Y, (float)box.Width, (float)box.Height);
                using (var fill = new SKPaint { Style = SKPaintStyle.Fill, Color = SKColors.White })
                using (var frame = StrokePaint(box.Stroke, box.StrokeWidth))
                {
                    canvas.DrawRect(rect, fill);
                    canvas.DrawRect(rect, frame);
                }

                break;
            case SceneText text:
                using (var font = new SKFont(typeface, (float)text.FontSize))
                using (var paint = new SKPaint { IsAntialias = true, Color = SKColors.Black })
                {
                    canvas.DrawText(text.Text, (float)text.X, (float)text.Y, SKTextAlign.Center, font, paint);
                }

                break;
            default:
                throw new InvalidOperationException($"The PNG renderer does not know the scene shape {shape.GetType().Name}.");
        }
    }

    private static SKPaint StrokePaint(SceneColor color, double width) => new()
    {
        IsAntialias = true,
        Style = SKPaintStyle.Stroke,
        StrokeWidth = (float)width,
        StrokeCap = SKStrokeCap.Round,
        Color = ToSkia(color),
    };

    private static SKColor ToSkia(SceneColor color) => new(color.Red, color.Green, color.Blue);
}
