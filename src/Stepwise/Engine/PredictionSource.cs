using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Stepwise.Imaging;
using Stepwise.Tasks;

namespace Stepwise.Engine;

/// <summary>
/// What to predict on: an image file, a folder of images, a glob (<c>dir/*.png</c>, <c>dir/**/*.png</c>),
/// a CSV file (tabular models), or in-memory images or feature rows. Paths are listed when prediction
/// starts; images are read batch by batch.
/// </summary>
public sealed class PredictionSource
{
    /// <summary>File extensions treated as images when listing a folder or glob (only PNG can be decoded; others are reported and skipped).</summary>
    public static readonly IReadOnlyList<string> ImageExtensions = [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff"];

    private readonly string? _path;
    private readonly IReadOnlyList<RasterImage>? _images;
    private readonly IReadOnlyList<float[]>? _rows;

    private PredictionSource(string description, string? path, IReadOnlyList<RasterImage>? images, IReadOnlyList<float[]>? rows)
    {
        Description = description;
        _path = path;
        _images = images;
        _rows = rows;
    }

    /// <summary>What the source is, for messages.</summary>
    public string Description { get; }

    /// <summary>An image file, a folder (its image files, not recursive), a glob, or a .csv file.</summary>
    /// <param name="path">The path or pattern.</param>
    /// <returns>The source.</returns>
    public static PredictionSource FromPath(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new PredictionSource(path, path, null, null);
    }

    /// <summary>Images already in memory (any size and colour type); sources are named <c>image[i]</c>.</summary>
    /// <param name="images">The images.</param>
    /// <returns>The source.</returns>
    public static PredictionSource FromImages(IEnumerable<RasterImage> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        var list = images.ToList();
        return new PredictionSource($"{list.Count} images", null, list, null);
    }

    /// <summary>Feature rows already in memory, each exactly the model's input size; sources are named <c>array[i]</c>.</summary>
    /// <param name="rows">One array per input (images as gray values 0..1, row-major).</param>
    /// <returns>The source.</returns>
    public static PredictionSource FromArrays(IEnumerable<float[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var list = rows.ToList();
        return new PredictionSource($"{list.Count} arrays", null, null, list);
    }

    /// <summary>Lists the inputs and checks that they fit the model; nothing is decoded yet.</summary>
    internal List<PendingInput> Resolve(ModelInput input)
    {
        if (_rows is not null)
        {
            var pending = new List<PendingInput>(_rows.Count);
            for (int i = 0; i < _rows.Count; i++)
            {
                var row = _rows[i] ?? throw new PredictionSourceException($"array[{i}] is null.");
                if (row.Length != input.FeatureCount)
                {
                    throw new PredictionSourceException($"array[{i}] has {row.Length} values; the model takes {input.FeatureCount} ({input}).");
                }

                pending.Add(new PendingInput(string.Create(CultureInfo.InvariantCulture, $"array[{i}]"), i, null, null, row));
            }

            return pending;
        }

        if (_images is not null)
        {
            RequireImages(input, Description);
            return [.. _images.Select((img, i) => new PendingInput(string.Create(CultureInfo.InvariantCulture, $"image[{i}]"), i, null, img ?? throw new PredictionSourceException($"image[{i}] is null."), null))];
        }

        string path = _path!;
        if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) && !HasWildcard(path))
        {
            return ReadCsv(path, input);
        }

        List<string> files;
        if (HasWildcard(path))
        {
            files = Glob(path);
            if (files.Count == 0)
            {
                throw Error(path, $"Source '{path}': the pattern matches no image files.");
            }
        }
        else if (Directory.Exists(path))
        {
            files = [.. Directory.EnumerateFiles(path).Where(IsImageFile).Order(StringComparer.Ordinal)];
            if (files.Count == 0)
            {
                throw Error(path, $"Source folder '{path}' has no image files ({string.Join(", ", ImageExtensions)}).");
            }
        }
        else if (File.Exists(path))
        {
            files = [path];
        }
        else
        {
            throw Error(path, $"Source '{path}' does not exist (expected an image file, a folder of images, a glob such as dir/*.png, or a .csv file).");
        }

        RequireImages(input, path);
        return [.. files.Select((f, i) => new PendingInput(f, i, f, null, null))];
    }

    private static bool HasWildcard(string path) => path.Contains('*', StringComparison.Ordinal) || path.Contains('?', StringComparison.Ordinal);

    private static bool IsImageFile(string file) =>
        !Path.GetFileName(file).StartsWith('.') && ImageExtensions.Contains(Path.GetExtension(file).ToLowerInvariant());

    private static void RequireImages(ModelInput input, string source)
    {
        if (input.Kind != ModelInputKind.Image)
        {
            throw Error(source, $"Source '{source}' holds images, but the model takes {input}: give a .csv file with its columns.");
        }
    }

    /// <summary>Expands <c>dir/*.png</c>, <c>dir/**/*.png</c>: wildcards are allowed in the file name and as a <c>**</c> folder segment.</summary>
    private static List<string> Glob(string pattern)
    {
        string normalized = pattern.Replace('\\', '/');
        int lastSlash = normalized.LastIndexOf('/');
        string dirPart = lastSlash >= 0 ? normalized[..lastSlash] : ".";
        string filePart = normalized[(lastSlash + 1)..];
        bool recursive = false;
        if (dirPart == "**" || dirPart.EndsWith("/**", StringComparison.Ordinal))
        {
            recursive = true;
            dirPart = dirPart.Length == 2 ? "." : dirPart[..^3];
        }

        if (dirPart.Length == 0)
        {
            dirPart = "/";
        }

        if (HasWildcard(dirPart))
        {
            throw Error(pattern, $"Source '{pattern}': wildcards are supported in the file name and as a '**' folder, not in other folder names.");
        }

        if (!Directory.Exists(dirPart))
        {
            throw Error(pattern, $"Source '{pattern}': folder '{dirPart}' does not exist.");
        }

        var regex = new Regex("^" + Regex.Escape(filePart).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        var option = recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly;
        return [.. Directory.EnumerateFiles(dirPart, "*", option)
            .Where(f => regex.IsMatch(Path.GetFileName(f)) && IsImageFile(f))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>Reads every row up front, so a column mismatch or a bad value stops prediction before it starts.</summary>
    private static List<PendingInput> ReadCsv(string path, ModelInput input)
    {
        if (input.Kind != ModelInputKind.Tabular)
        {
            throw Error(path, $"Source '{path}' is a CSV file, but the model takes {input}: give image files.");
        }

        if (!File.Exists(path))
        {
            throw Error(path, $"Source '{path}' does not exist.");
        }

        string[] lines;
        try
        {
            lines = File.ReadAllLines(path, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Error(path, $"Source '{path}' cannot be read: {ex.Message}", ex);
        }

        int headerLine = Array.FindIndex(lines, l => !string.IsNullOrWhiteSpace(l));
        if (headerLine < 0)
        {
            throw Error(path, $"{path} is empty (expected a header row with the model's columns).");
        }

        List<string> header;
        try
        {
            header = [.. CsvDataset.SplitFields(lines[headerLine], path, headerLine + 1).Select(h => h.Trim())];
        }
        catch (DatasetException ex)
        {
            throw Error(path, ex.Message, ex);
        }

        var ignored = new HashSet<string>([DatasetLoader.DefaultLabelColumn, DatasetLoader.SplitColumn], StringComparer.Ordinal);
        var featureColumns = Enumerable.Range(0, header.Count).Where(i => !ignored.Contains(header[i])).ToList();
        int[] columnOf;
        if (input.FeatureNames.Count > 0)
        {
            var missing = input.FeatureNames.Where(n => !header.Contains(n)).ToList();
            var extra = featureColumns.Select(i => header[i]).Where(n => !input.FeatureNames.Contains(n)).ToList();
            if (missing.Count > 0 || extra.Count > 0)
            {
                var problems = new List<string>();
                if (missing.Count > 0)
                {
                    problems.Add($"missing {string.Join(", ", missing.Select(m => $"'{m}'"))}");
                }

                if (extra.Count > 0)
                {
                    problems.Add($"unexpected {string.Join(", ", extra.Select(m => $"'{m}'"))}");
                }

                throw Error(path, $"{path} line {headerLine + 1}: the columns do not match the model's features ({string.Join("; ", problems)}). The model takes: {string.Join(", ", input.FeatureNames)}.");
            }

            columnOf = [.. input.FeatureNames.Select(n => header.IndexOf(n))];
        }
        else
        {
            if (featureColumns.Count != input.FeatureCount)
            {
                throw Error(path, $"{path} line {headerLine + 1}: {featureColumns.Count} feature columns, but the model takes {input.FeatureCount}.");
            }

            columnOf = [.. featureColumns];
        }

        var pending = new List<PendingInput>();
        for (int li = headerLine + 1; li < lines.Length; li++)
        {
            if (string.IsNullOrWhiteSpace(lines[li]))
            {
                continue;
            }

            int lineNumber = li + 1;
            List<string> fields;
            try
            {
                fields = CsvDataset.SplitFields(lines[li], path, lineNumber);
            }
            catch (DatasetException ex)
            {
                throw Error(path, ex.Message, ex);
            }

            if (fields.Count != header.Count)
            {
                throw Error(path, $"{path} line {lineNumber}: expected {header.Count} fields like the header, found {fields.Count}.");
            }

            var values = new float[columnOf.Length];
            for (int f = 0; f < columnOf.Length; f++)
            {
                string text = fields[columnOf[f]].Trim();
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
                {
                    throw Error(path, $"{path} line {lineNumber}, column {columnOf[f] + 1} ('{header[columnOf[f]]}'): '{text}' is not a finite number.");
                }

                values[f] = (float)value;
            }

            pending.Add(new PendingInput(string.Create(CultureInfo.InvariantCulture, $"{path}:{lineNumber}"), pending.Count, null, null, values));
        }

        if (pending.Count == 0)
        {
            throw Error(path, $"{path}: no data rows after the header.");
        }

        return pending;
    }

    private static PredictionSourceException Error(string path, string message, Exception? inner = null) =>
        inner is null ? new PredictionSourceException(message) { Path = path } : new PredictionSourceException(message, inner) { Path = path };
}
