namespace Stepwise.Tasks;

/// <summary>
/// Loads a classification dataset from a source string: "shapes" or "shapes:&lt;seed&gt;" (the built-in
/// generated dataset), a folder tree (train/&lt;class&gt;/*.png and val/&lt;class&gt;/*.png), or a .csv file.
/// </summary>
public static class DatasetLoader
{
    /// <summary>Loads a dataset.</summary>
    /// <param name="source">"shapes", "shapes:&lt;seed&gt;", an image folder, or a .csv file.</param>
    /// <param name="imgsz">Image side in pixels: generated images use it, folder images are resized to it.</param>
    /// <param name="seed">Seed for the generated dataset (unless the source names one) and the CSV holdout split.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="DatasetException">The source is missing or malformed; the message names the file or folder.</exception>
    public static ClassificationData Load(string source, int imgsz, int seed = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        if (source == "shapes")
        {
            return ShapesDataset.Generate(seed, imgsz);
        }

        if (source.StartsWith("shapes:", StringComparison.Ordinal))
        {
            if (!int.TryParse(source.AsSpan(7), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int dataSeed))
            {
                throw new DatasetException($"Dataset '{source}': the part after 'shapes:' must be an integer seed.");
            }

            return ShapesDataset.Generate(dataSeed, imgsz);
        }

        throw new DatasetException($"Dataset '{source}' not found: expected 'shapes', a folder with train/ and val/, or a .csv file.") { Path = source };
    }
}
