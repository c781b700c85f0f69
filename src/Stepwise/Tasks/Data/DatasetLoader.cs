using System.Globalization;
using Stepwise.Imaging;

namespace Stepwise.Tasks;

/// <summary>
/// Loads a classification dataset from a source string: "shapes" or "shapes:&lt;seed&gt;" (the built-in
/// generated dataset), a folder tree (train/&lt;class&gt;/*.png and val/&lt;class&gt;/*.png), or a .csv file.
/// Every problem is reported as a <see cref="DatasetException"/> naming the file or folder.
/// </summary>
public static class DatasetLoader
{
    /// <summary>Default name of the CSV column that holds the class of each row.</summary>
    public const string DefaultLabelColumn = "label";

    /// <summary>Name of the optional CSV column that assigns each row to "train" or "val".</summary>
    public const string SplitColumn = "split";

    /// <summary>Smallest image side the generated shapes dataset supports.</summary>
    public const int MinShapesSize = 8;

    /// <summary>Fraction of each class held out for validation when a CSV has no split column.</summary>
    public const double DefaultValFraction = 0.2;

    /// <summary>Loads a dataset.</summary>
    /// <param name="source">"shapes", "shapes:&lt;seed&gt;", an image folder, or a .csv file.</param>
    /// <param name="imgsz">Image side in pixels: generated images use it, folder images are resized to it.</param>
    /// <param name="seed">Seed for the generated dataset (unless the source names one) and the CSV holdout split.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="DatasetException">The source is missing or malformed; the message names the file or folder.</exception>
    public static ClassificationData Load(string source, int imgsz, int seed = 0) => Load(source, imgsz, seed, DefaultLabelColumn);

    /// <summary>Loads a dataset, naming the CSV label column.</summary>
    /// <param name="source">"shapes", "shapes:&lt;seed&gt;", an image folder, or a .csv file.</param>
    /// <param name="imgsz">Image side in pixels: generated images use it, folder images are resized to it.</param>
    /// <param name="seed">Seed for the generated dataset (unless the source names one) and the CSV holdout split.</param>
    /// <param name="labelColumn">CSV column holding the class (ignored for other sources).</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="DatasetException">The source is missing or malformed; the message names the file or folder.</exception>
    public static ClassificationData Load(string source, int imgsz, int seed, string labelColumn)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(imgsz, 1);
        if (source == "shapes" || source.StartsWith("shapes:", StringComparison.Ordinal))
        {
            if (imgsz < MinShapesSize)
            {
                throw new DatasetException($"Dataset '{source}': image size {imgsz} is too small for the shapes dataset (at least {MinShapesSize}).");
            }

            if (source == "shapes")
            {
                return ShapesDataset.Generate(seed, imgsz);
            }

            if (!int.TryParse(source.AsSpan(7), NumberStyles.Integer, CultureInfo.InvariantCulture, out int dataSeed))
            {
                throw new DatasetException($"Dataset '{source}': the part after 'shapes:' must be an integer seed.");
            }

            return ShapesDataset.Generate(dataSeed, imgsz);
        }

        if (source.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            return LoadCsv(source, seed, labelColumn);
        }

        if (Directory.Exists(source))
        {
            return LoadImageFolder(source, imgsz);
        }

        throw new DatasetException(
            $"Dataset '{source}' not found: expected 'shapes', 'shapes:<seed>', a folder with train/ and val/ class folders, or a .csv file.")
        { Path = source };
    }

    /// <summary>
    /// Loads an image-folder tree: root/train/&lt;class&gt;/*.png and root/val/&lt;class&gt;/*.png (root/test is
    /// accepted when there is no val). Class names are the train subfolder names in ordinal order;
    /// every image is converted to gray and resized to imgsz x imgsz (area average down, bilinear up).
    /// Hidden files (starting with '.') are skipped; any other non-PNG file is an error.
    /// </summary>
    /// <param name="root">The dataset folder.</param>
    /// <param name="imgsz">Target image side in pixels.</param>
    /// <returns>The dataset, with per-sample file paths in <see cref="DataSplit.Sources"/>.</returns>
    /// <exception cref="DatasetException">A folder is missing or empty, a class is missing from val, or a file is not a readable PNG.</exception>
    public static ClassificationData LoadImageFolder(string root, int imgsz)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        ArgumentOutOfRangeException.ThrowIfLessThan(imgsz, 1);
        if (!Directory.Exists(root))
        {
            throw Error(root, $"Dataset folder '{root}' does not exist.");
        }

        string trainDir = Path.Combine(root, "train");
        if (!Directory.Exists(trainDir))
        {
            throw Error(root, $"Dataset folder '{root}' has no 'train' folder (expected train/<class>/*.png and val/<class>/*.png).");
        }

        string valDir = Path.Combine(root, "val");
        if (!Directory.Exists(valDir))
        {
            string testDir = Path.Combine(root, "test");
            valDir = Directory.Exists(testDir)
                ? testDir
                : throw Error(root, $"Dataset folder '{root}' has no 'val' folder (expected train/<class>/*.png and val/<class>/*.png).");
        }

        var classNames = ClassFolders(trainDir);
        if (classNames.Count == 0)
        {
            throw Error(trainDir, $"Split folder '{trainDir}' is empty: it has no class folders.");
        }

        var valClasses = ClassFolders(valDir);
        if (valClasses.Count == 0)
        {
            throw Error(valDir, $"Split folder '{valDir}' is empty: it has no class folders.");
        }

        foreach (var name in classNames)
        {
            if (!valClasses.Contains(name))
            {
                string missing = Path.Combine(valDir, name);
                throw Error(missing, $"Class '{name}' is missing from the val split: folder '{missing}' does not exist.");
            }
        }

        foreach (var name in valClasses)
        {
            if (!classNames.Contains(name))
            {
                string extra = Path.Combine(valDir, name);
                throw Error(extra, $"Class folder '{extra}' has no matching folder in '{trainDir}'.");
            }
        }

        var train = LoadImageSplit(trainDir, classNames, imgsz);
        var val = LoadImageSplit(valDir, classNames, imgsz);
        return new ClassificationData(classNames, train, val, root);
    }

    /// <summary>
    /// Loads a CSV file with a header row: one column holds the class name of each row, an optional
    /// "split" column holds train or val (also valid, validation, test), every other column is a numeric
    /// feature (invariant culture, '.' decimal point). Without a split column a seeded, per-class
    /// holdout of 20% (at least one row) becomes the val split. Features are used as they are (not scaled).
    /// </summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="seed">Seed of the holdout split.</param>
    /// <param name="labelColumn">Name of the class column.</param>
    /// <param name="valFraction">Fraction of each class held out when there is no split column.</param>
    /// <returns>The dataset (tabular: no image size, no per-sample sources).</returns>
    /// <exception cref="DatasetException">The file is missing or malformed; the message names line and column.</exception>
    public static ClassificationData LoadCsv(string path, int seed = 0, string labelColumn = DefaultLabelColumn, double valFraction = DefaultValFraction)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(labelColumn);
        if (!(valFraction > 0 && valFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(valFraction), valFraction, "The val fraction must be between 0 and 1.");
        }

        return CsvDataset.Load(path, seed, labelColumn, valFraction);
    }

    internal static DatasetException Error(string path, string message, Exception? inner = null) =>
        inner is null ? new DatasetException(message) { Path = path } : new DatasetException(message, inner) { Path = path };

    private static List<string> ClassFolders(string splitDir)
    {
        var names = new List<string>();
        foreach (var entry in Directory.EnumerateFileSystemEntries(splitDir))
        {
            string name = Path.GetFileName(entry);
            if (name.StartsWith('.'))
            {
                continue;
            }

            if (!Directory.Exists(entry))
            {
                throw Error(entry, $"File '{entry}' is not inside a class folder (expected {Path.GetFileName(splitDir)}/<class>/*.png).");
            }

            names.Add(name);
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    private static DataSplit LoadImageSplit(string splitDir, List<string> classNames, int imgsz)
    {
        var files = new List<(string Path, int Label)>();
        for (int label = 0; label < classNames.Count; label++)
        {
            string classDir = Path.Combine(splitDir, classNames[label]);
            var entries = Directory.EnumerateFileSystemEntries(classDir)
                .Where(e => !Path.GetFileName(e).StartsWith('.'))
                .Order(StringComparer.Ordinal)
                .ToList();
            foreach (var entry in entries)
            {
                if (Directory.Exists(entry))
                {
                    throw Error(entry, $"Unexpected folder '{entry}' inside class folder '{classDir}' (class folders hold .png files only).");
                }

                if (!entry.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
                {
                    throw Error(entry, $"File '{entry}' is not a PNG image (only .png files are supported).");
                }

                files.Add((entry, label));
            }

            if (entries.Count == 0)
            {
                throw Error(classDir, $"Class folder '{classDir}' has no .png images.");
            }
        }

        int pixels = checked(imgsz * imgsz);
        var features = new float[checked(files.Count * pixels)];
        var labels = new int[files.Count];
        var sources = new string[files.Count];
        for (int i = 0; i < files.Count; i++)
        {
            var (file, label) = files[i];
            RasterImage image;
            try
            {
                image = Png.Load(file);
            }
            catch (PngFormatException ex)
            {
                throw Error(file, $"Image '{file}' cannot be decoded: {ex.Message}", ex);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw Error(file, $"Image '{file}' cannot be read: {ex.Message}", ex);
            }

            var gray = image.ToGray();
            if (gray.Width != imgsz || gray.Height != imgsz)
            {
                gray = gray.Resize(imgsz, imgsz);
            }

            var span = features.AsSpan(i * pixels, pixels);
            for (int p = 0; p < pixels; p++)
            {
                span[p] = gray.Pixels[p] / 255f;
            }

            labels[i] = label;
            sources[i] = file;
        }

        return new DataSplit(features, labels, pixels, imgsz, imgsz, sources);
    }
}
