namespace Stepwise.Tasks;

/// <summary>A classification dataset: class names and a train and a val split with the same feature layout.</summary>
public sealed class ClassificationData
{
    /// <summary>Creates the dataset after checking that both splits agree on the layout and the labels are in range.</summary>
    /// <param name="classNames">Name per class index.</param>
    /// <param name="train">Training split.</param>
    /// <param name="val">Validation split.</param>
    /// <param name="source">Where the data came from ("shapes:0", a folder, a CSV path).</param>
    public ClassificationData(IReadOnlyList<string> classNames, DataSplit train, DataSplit val, string source)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(val);
        ArgumentNullException.ThrowIfNull(source);
        if (classNames.Count < 1)
        {
            throw new ArgumentException("A dataset needs at least one class.", nameof(classNames));
        }

        if (train.FeatureCount != val.FeatureCount || train.ImageWidth != val.ImageWidth || train.ImageHeight != val.ImageHeight)
        {
            throw new ArgumentException("Train and val splits have different feature layouts.", nameof(val));
        }

        foreach (var split in new[] { train, val })
        {
            foreach (int label in split.Labels)
            {
                if ((uint)label >= (uint)classNames.Count)
                {
                    throw new ArgumentException($"Label {label} is outside the {classNames.Count} classes.", nameof(train));
                }
            }
        }

        ClassNames = classNames;
        Train = train;
        Val = val;
        Source = source;
    }

    /// <summary>Name per class index.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Training split.</summary>
    public DataSplit Train { get; }

    /// <summary>Validation split.</summary>
    public DataSplit Val { get; }

    /// <summary>Values per sample.</summary>
    public int FeatureCount => Train.FeatureCount;

    /// <summary>Image width, or null for tabular (CSV) data.</summary>
    public int? ImageWidth => Train.ImageWidth;

    /// <summary>Image height, or null for tabular (CSV) data.</summary>
    public int? ImageHeight => Train.ImageHeight;

    /// <summary>Where the data came from ("shapes:0", a folder, a CSV path).</summary>
    public string Source { get; }

    /// <summary>Column name of each feature for tabular (CSV) data, in feature order; null when unnamed or images.</summary>
    public IReadOnlyList<string>? FeatureNames { get; init; }
}
