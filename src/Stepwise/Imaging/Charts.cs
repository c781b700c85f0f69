using System.Globalization;

namespace Stepwise.Imaging;

/// <summary>
/// The run plots, drawn with <see cref="Canvas"/>: training curves (results.png), confusion matrices
/// and labelled image mosaics (train_batchN.png, val_batchN_*.png).
/// </summary>
public static class Charts
{
    /// <summary>Colour of curves (the usual first plot colour, a medium blue).</summary>
    public static readonly Rgb CurveColour = new(31, 119, 180);

    /// <summary>Colour of axes, ticks and text.</summary>
    public static readonly Rgb AxisColour = new(40, 40, 40);

    /// <summary>Colour of grid lines.</summary>
    public static readonly Rgb GridColour = new(225, 225, 225);

    /// <summary>Confusion-matrix colour for 0 (or an empty row).</summary>
    public static readonly Rgb HeatLow = new(247, 251, 255);

    /// <summary>Confusion-matrix colour for the largest value (1.0 when normalised).</summary>
    public static readonly Rgb HeatHigh = new(8, 48, 107);

    /// <summary>Width of one results panel in pixels.</summary>
    public const int PanelWidth = 300;

    /// <summary>Height of one results panel in pixels.</summary>
    public const int PanelHeight = 220;

    private const int PlotLeft = 56;
    private const int PlotRight = 14;
    private const int PlotTop = 24;
    private const int PlotBottom = 30;
    private const int MosaicPad = 4;
    private const int MosaicLabelHeight = Canvas.TextHeightWithDescent + 5;

    /// <summary>
    /// One small line chart per series (x = epoch), titled by the series name, with axes, ticks and
    /// tick labels. Panels fill rows of up to five; point i of a series is drawn at x[i]; values
    /// that are NaN or infinite are skipped.
    /// </summary>
    /// <param name="series">Named value lists, one value per x.</param>
    /// <param name="x">The x values (epochs).</param>
    /// <returns>An RGB image of <see cref="PanelWidth"/> x <see cref="PanelHeight"/> panels.</returns>
    public static RasterImage Results(IReadOnlyList<(string Name, IReadOnlyList<double> Values)> series, IReadOnlyList<double> x)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(x);
        int n = Math.Max(series.Count, 1);
        int columns = n <= 3 ? n : n == 4 ? 2 : Math.Min(5, (n + 1) / 2);
        int rows = (n + columns - 1) / columns;
        var canvas = new Canvas(columns * PanelWidth, rows * PanelHeight, Rgb.White);
        if (series.Count == 0)
        {
            DrawCentred(canvas, PanelWidth / 2, PanelHeight / 2, "no data", AxisColour);
        }

        for (int i = 0; i < series.Count; i++)
        {
            var (name, values) = series[i];
            DrawPanel(canvas, (i % columns) * PanelWidth, (i / columns) * PanelHeight, name ?? string.Empty, values ?? [], x);
        }

        return canvas.ToImage();
    }

    /// <summary>
    /// A confusion-matrix heat map: rows are true classes, columns predicted classes, each cell shaded
    /// from <see cref="HeatLow"/> to <see cref="HeatHigh"/> and labelled with its count (or its share of
    /// the row, two decimals, when normalised) if the cell is large enough; zero cells are left blank.
    /// </summary>
    /// <param name="counts">Counts, rows = true class, columns = predicted class (square, one per name).</param>
    /// <param name="names">Class names.</param>
    /// <param name="normalize">Show each row divided by its total instead of counts.</param>
    /// <returns>An RGB image.</returns>
    public static RasterImage ConfusionMatrix(int[,] counts, IReadOnlyList<string> names, bool normalize)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(names);
        int n = names.Count;
        if (n == 0 || counts.GetLength(0) != n || counts.GetLength(1) != n)
        {
            throw new ArgumentException(
                $"Counts are {counts.GetLength(0)}x{counts.GetLength(1)} but there are {n} class names; expected {n}x{n}.", nameof(counts));
        }

        var values = new double[n, n];
        double max = 0;
        for (int r = 0; r < n; r++)
        {
            long rowSum = 0;
            for (int c = 0; c < n; c++)
            {
                rowSum += counts[r, c];
            }

            for (int c = 0; c < n; c++)
            {
                values[r, c] = normalize ? (rowSum == 0 ? 0 : counts[r, c] / (double)rowSum) : counts[r, c];
                max = Math.Max(max, values[r, c]);
            }
        }

        double scaleMax = normalize ? 1.0 : Math.Max(max, 1);
        int cell = Math.Clamp(420 / n, 12, 52);
        var labels = names.Select(name => Truncate(name ?? string.Empty, 16)).ToArray();
        int labelWidth = labels.Max(l => Canvas.MeasureText(l));
        int gridLeft = 14 + Canvas.TextHeightWithDescent + 8 + labelWidth + 6;
        int gridTop = 34;
        int grid = cell * n;
        int barLeft = gridLeft + grid + 16;
        int width = barLeft + 14 + 8 + Canvas.MeasureText(FormatValue(scaleMax, normalize)) + 12;
        int height = gridTop + grid + 6 + labelWidth + 8 + Canvas.TextHeightWithDescent + 12;
        var canvas = new Canvas(Math.Max(width, Canvas.MeasureText("Confusion Matrix Normalized") + 20), height, Rgb.White);

        DrawCentred(canvas, canvas.Width / 2, 10, normalize ? "Confusion Matrix Normalized" : "Confusion Matrix", AxisColour);
        for (int r = 0; r < n; r++)
        {
            for (int c = 0; c < n; c++)
            {
                double t = values[r, c] / scaleMax;
                var fill = Rgb.Lerp(HeatLow, HeatHigh, t);
                int x0 = gridLeft + (c * cell);
                int y0 = gridTop + (r * cell);
                canvas.FillRect(x0, y0, cell, cell, fill);
                if (counts[r, c] != 0)
                {
                    string text = FormatValue(values[r, c], normalize);
                    if (Canvas.MeasureText(text) <= cell - 2 && Canvas.TextHeight <= cell - 2)
                    {
                        DrawCentred(canvas, x0 + (cell / 2), y0 + ((cell - Canvas.TextHeight) / 2), text, t > 0.5 ? Rgb.White : Rgb.Black);
                    }
                }
            }

            // Row label: the true class, right-aligned next to its row.
            int ly = gridTop + (r * cell) + ((cell - Canvas.TextHeight) / 2);
            canvas.DrawText(gridLeft - 6 - Canvas.MeasureText(labels[r]), ly, labels[r], AxisColour);

            // Column label: the predicted class, rotated to read bottom-to-top under its column.
            var rotated = RotatedText(labels[r], AxisColour);
            canvas.DrawImage(rotated, gridLeft + (r * cell) + ((cell - rotated.Width) / 2), gridTop + grid + 6 + (labelWidth - rotated.Height));
        }

        canvas.DrawRect(gridLeft - 1, gridTop - 1, grid + 2, grid + 2, AxisColour);
        var trueLabel = RotatedText("True", AxisColour);
        canvas.DrawImage(trueLabel, 14, gridTop + ((grid - trueLabel.Height) / 2));
        DrawCentred(canvas, gridLeft + (grid / 2), gridTop + grid + 6 + labelWidth + 8, "Predicted", AxisColour);

        // Colour bar with its end values.
        for (int y = 0; y < grid; y++)
        {
            canvas.FillRect(barLeft, gridTop + y, 14, 1, Rgb.Lerp(HeatLow, HeatHigh, 1.0 - (y / (double)Math.Max(grid - 1, 1))));
        }

        canvas.DrawRect(barLeft - 1, gridTop - 1, 16, grid + 2, AxisColour);
        canvas.DrawText(barLeft + 20, gridTop, FormatValue(scaleMax, normalize), AxisColour);
        canvas.DrawText(barLeft + 20, gridTop + grid - Canvas.TextHeight, FormatValue(0, normalize), AxisColour);
        return canvas.ToImage();
    }

    /// <summary>
    /// A grid of images, each with a text label centred under it (cut to the cell width). Cells are
    /// as large as the largest tile times <paramref name="scale"/>; smaller tiles are centred.
    /// </summary>
    /// <param name="tiles">Images (gray, RGB or RGBA).</param>
    /// <param name="labels">One label per image.</param>
    /// <param name="columns">Images per row (at least 1).</param>
    /// <param name="scale">Integer magnification of each image.</param>
    /// <param name="labelColours">Optional colour per label (for example green when a prediction is right); black when null.</param>
    /// <returns>An RGB image.</returns>
    public static RasterImage Mosaic(
        IReadOnlyList<RasterImage> tiles, IReadOnlyList<string> labels, int columns, int scale = 2, IReadOnlyList<Rgb>? labelColours = null)
    {
        ArgumentNullException.ThrowIfNull(tiles);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        if (tiles.Count == 0)
        {
            throw new ArgumentException("A mosaic needs at least one tile.", nameof(tiles));
        }

        if (labels.Count != tiles.Count)
        {
            throw new ArgumentException($"{tiles.Count} tiles but {labels.Count} labels.", nameof(labels));
        }

        if (labelColours is not null && labelColours.Count != tiles.Count)
        {
            throw new ArgumentException($"{tiles.Count} tiles but {labelColours.Count} label colours.", nameof(labelColours));
        }

        columns = Math.Min(columns, tiles.Count);
        int rows = (tiles.Count + columns - 1) / columns;
        int tileWidth = tiles.Max(t => t.Width) * scale;
        int tileHeight = tiles.Max(t => t.Height) * scale;
        int cellWidth = Math.Max(tileWidth, 5) + (2 * MosaicPad);
        int cellHeight = tileHeight + MosaicPad + MosaicLabelHeight;
        var canvas = new Canvas(columns * cellWidth, (rows * cellHeight) + MosaicPad, Rgb.White);
        int maxChars = Math.Max(1, (cellWidth - 2 + 1) / 6);
        for (int i = 0; i < tiles.Count; i++)
        {
            var tile = tiles[i];
            int cx = (i % columns) * cellWidth;
            int cy = (i / columns) * cellHeight;
            canvas.DrawImage(tile, cx + ((cellWidth - (tile.Width * scale)) / 2), cy + MosaicPad + ((tileHeight - (tile.Height * scale)) / 2), scale);
            string label = Truncate(labels[i] ?? string.Empty, maxChars);
            DrawCentred(canvas, cx + (cellWidth / 2), cy + MosaicPad + tileHeight + 3, label, labelColours?[i] ?? Rgb.Black);
        }

        return canvas.ToImage();
    }

    /// <summary>Round tick values covering [min, max]: steps of 1, 2 or 5 times a power of ten.</summary>
    internal static (double Low, double High, double Step) NiceRange(double min, double max, int targetTicks = 5)
    {
        if (!(max > min))
        {
            double pad = Math.Abs(min) > 0 ? Math.Abs(min) * 0.1 : 1.0;
            min -= pad;
            max += pad;
        }

        double rawStep = (max - min) / Math.Max(targetTicks - 1, 1);
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(rawStep)));
        double fraction = rawStep / magnitude;
        double step = (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude;
        double low = Math.Floor((min / step) + 1e-9) * step;
        double high = Math.Ceiling((max / step) - 1e-9) * step;
        return (low, high, step);
    }

    internal static string FormatTick(double value, double step)
    {
        int decimals = Math.Clamp((int)-Math.Floor(Math.Log10(step) + 1e-9), 0, 6);
        if (Math.Abs(value) < step * 1e-6)
        {
            value = 0;
        }

        return value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    private static void DrawPanel(Canvas canvas, int left, int top, string name, IReadOnlyList<double> values, IReadOnlyList<double> x)
    {
        int plotX = left + PlotLeft;
        int plotY = top + PlotTop;
        int plotW = PanelWidth - PlotLeft - PlotRight;
        int plotH = PanelHeight - PlotTop - PlotBottom;
        int maxTitle = (PanelWidth - 8) / 6;
        DrawCentred(canvas, left + (PanelWidth / 2), top + 8, Truncate(name, maxTitle), AxisColour);

        int count = Math.Min(values.Count, x.Count);
        var points = new List<(double X, double Y)>();
        for (int i = 0; i < count; i++)
        {
            if (double.IsFinite(values[i]) && double.IsFinite(x[i]))
            {
                points.Add((x[i], values[i]));
            }
        }

        double xMin = points.Count > 0 ? points.Min(p => p.X) : 0;
        double xMax = points.Count > 0 ? points.Max(p => p.X) : 1;
        double yMin = points.Count > 0 ? points.Min(p => p.Y) : 0;
        double yMax = points.Count > 0 ? points.Max(p => p.Y) : 1;
        var (xLow, xHigh, xStep) = NiceRange(xMin, xMax, 6);
        var (yLow, yHigh, yStep) = NiceRange(yMin, yMax, 5);

        int MapX(double v) => plotX + (int)Math.Round((v - xLow) / (xHigh - xLow) * (plotW - 1));
        int MapY(double v) => plotY + plotH - 1 - (int)Math.Round((v - yLow) / (yHigh - yLow) * (plotH - 1));

        for (double t = yLow; t <= yHigh + (yStep * 1e-6); t += yStep)
        {
            int py = MapY(t);
            canvas.FillRect(plotX + 1, py, plotW - 2, 1, GridColour);
            canvas.FillRect(plotX - 4, py, 4, 1, AxisColour);
            string label = FormatTick(t, yStep);
            canvas.DrawText(plotX - 7 - Canvas.MeasureText(label), py - 3, label, AxisColour);
        }

        for (double t = xLow; t <= xHigh + (xStep * 1e-6); t += xStep)
        {
            int px = MapX(t);
            canvas.FillRect(px, plotY + 1, 1, plotH - 2, GridColour);
            canvas.FillRect(px, plotY + plotH, 1, 4, AxisColour);
            DrawCentred(canvas, px, plotY + plotH + 7, FormatTick(t, xStep), AxisColour);
        }

        canvas.DrawRect(plotX, plotY, plotW, plotH, AxisColour);
        if (points.Count == 0)
        {
            DrawCentred(canvas, plotX + (plotW / 2), plotY + (plotH / 2) - 3, "no data", AxisColour);
            return;
        }

        for (int i = 1; i < points.Count; i++)
        {
            canvas.DrawLine(MapX(points[i - 1].X), MapY(points[i - 1].Y), MapX(points[i].X), MapY(points[i].Y), CurveColour, 2);
        }

        foreach (var (px, py) in points)
        {
            canvas.FillRect(MapX(px) - 2, MapY(py) - 2, 5, 5, CurveColour);
        }
    }

    private static string FormatValue(double value, bool normalized) =>
        normalized ? value.ToString("0.00", CultureInfo.InvariantCulture) : Math.Round(value).ToString("0", CultureInfo.InvariantCulture);

    private static string Truncate(string text, int maxChars)
    {
        text = text.Replace('\n', ' ');
        if (text.Length <= maxChars)
        {
            return text;
        }

        return maxChars <= 2 ? text[..maxChars] : string.Concat(text.AsSpan(0, maxChars - 2), "..");
    }

    private static void DrawCentred(Canvas canvas, int centreX, int top, string text, Rgb colour) =>
        canvas.DrawText(centreX - (Canvas.MeasureText(text) / 2), top, text, colour);

    /// <summary>Renders text on white and turns it a quarter left, so it reads bottom to top.</summary>
    private static RasterImage RotatedText(string text, Rgb colour)
    {
        int width = Math.Max(Canvas.MeasureText(text), 1);
        const int Height = Canvas.TextHeightWithDescent;
        var flat = new Canvas(width, Height, Rgb.White);
        flat.DrawText(0, 0, text, colour);
        var source = flat.ToImage();
        var rotated = new RasterImage(Height, width, 3);
        for (int y = 0; y < width; y++)
        {
            for (int x = 0; x < Height; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    rotated[x, y, c] = source[width - 1 - y, x, c];
                }
            }
        }

        return rotated;
    }
}
