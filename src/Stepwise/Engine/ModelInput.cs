using System.Globalization;
using System.Text.Json.Nodes;
using Stepwise.Tasks;

namespace Stepwise.Engine;

/// <summary>
/// The layout of a model's input: a gray image of a given size, or named numeric columns. Stored in
/// checkpoints and exported files so prediction can convert images and check CSV columns.
/// </summary>
public sealed class ModelInput
{
    private ModelInput(ModelInputKind kind, int featureCount, int width, int height, IReadOnlyList<string> featureNames)
    {
        Kind = kind;
        FeatureCount = featureCount;
        Width = width;
        Height = height;
        FeatureNames = featureNames;
    }

    /// <summary>Image or tabular.</summary>
    public ModelInputKind Kind { get; }

    /// <summary>Values per sample.</summary>
    public int FeatureCount { get; }

    /// <summary>Image width in pixels (0 for tabular input).</summary>
    public int Width { get; }

    /// <summary>Image height in pixels (0 for tabular input).</summary>
    public int Height { get; }

    /// <summary>Column names of tabular input, in feature order; empty when unknown or for images.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>A gray image input.</summary>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <returns>The layout.</returns>
    public static ModelInput Image(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        return new ModelInput(ModelInputKind.Image, checked(width * height), width, height, []);
    }

    /// <summary>A tabular input.</summary>
    /// <param name="featureCount">Number of columns.</param>
    /// <param name="featureNames">Column names in order, or null when unknown.</param>
    /// <returns>The layout.</returns>
    public static ModelInput Tabular(int featureCount, IReadOnlyList<string>? featureNames = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        if (featureNames is not null && featureNames.Count != 0 && featureNames.Count != featureCount)
        {
            throw new ArgumentException($"{featureNames.Count} feature names for {featureCount} features.", nameof(featureNames));
        }

        return new ModelInput(ModelInputKind.Tabular, featureCount, 0, 0, featureNames is null ? [] : [.. featureNames]);
    }

    /// <summary>The layout of a dataset's samples.</summary>
    /// <param name="data">The dataset.</param>
    /// <returns>Image when the dataset holds images, else tabular with the dataset's column names.</returns>
    public static ModelInput FromData(ClassificationData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.ImageWidth is int w && data.ImageHeight is int h ? Image(w, h) : Tabular(data.FeatureCount, data.FeatureNames);
    }

    /// <summary>Short description: <c>image 28x28</c> or <c>tabular 4 features (a, b, c, d)</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => Kind == ModelInputKind.Image
        ? string.Create(CultureInfo.InvariantCulture, $"image {Width}x{Height}")
        : string.Create(CultureInfo.InvariantCulture, $"tabular {FeatureCount} features") + (FeatureNames.Count > 0 ? $" ({string.Join(", ", FeatureNames)})" : string.Empty);

    internal JsonObject ToJson()
    {
        var json = new JsonObject { ["kind"] = Kind == ModelInputKind.Image ? "image" : "tabular", ["features"] = FeatureCount };
        if (Kind == ModelInputKind.Image)
        {
            json["width"] = Width;
            json["height"] = Height;
        }
        else
        {
            json["names"] = new JsonArray([.. FeatureNames.Select(n => (JsonNode?)JsonValue.Create(n))]);
        }

        return json;
    }

    /// <summary>Parses <see cref="ToJson"/> output; throws on anything inconsistent.</summary>
    internal static ModelInput FromJson(JsonNode? node, int featureCount)
    {
        var json = node?.AsObject() ?? throw new FormatException("input description is empty");
        string kind = json["kind"]?.GetValue<string>() ?? throw new FormatException("input 'kind' is missing");
        int count = json["features"]?.GetValue<int>() ?? featureCount;
        if (count != featureCount)
        {
            throw new FormatException($"input has {count} features but the model takes {featureCount}");
        }

        if (kind == "image")
        {
            int w = json["width"]?.GetValue<int>() ?? 0;
            int h = json["height"]?.GetValue<int>() ?? 0;
            if (w < 1 || h < 1 || (long)w * h != featureCount)
            {
                throw new FormatException($"input image size {w}x{h} does not give {featureCount} features");
            }

            return Image(w, h);
        }

        if (kind == "tabular")
        {
            var names = json["names"]?.AsArray().Select(n => n!.GetValue<string>()).ToList() ?? [];
            if (names.Count != 0 && names.Count != featureCount)
            {
                throw new FormatException($"input has {names.Count} column names for {featureCount} features");
            }

            return Tabular(featureCount, names);
        }

        throw new FormatException($"input kind '{kind}' is not 'image' or 'tabular'");
    }

    /// <summary>
    /// The layout of a model saved without one: tabular when its data was a CSV file, else a square image
    /// when the feature count is a square (the training image size when it matches), else tabular.
    /// </summary>
    internal static ModelInput Infer(int featureCount, IReadOnlyDictionary<string, object?> args)
    {
        string? data = args.TryGetValue("data", out var d) ? d as string : null;
        if (data is not null && data.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            return Tabular(featureCount);
        }

        int side = (int)Math.Round(Math.Sqrt(featureCount));
        return side * side == featureCount ? Image(side, side) : Tabular(featureCount);
    }
}
