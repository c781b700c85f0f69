using System.Globalization;
using System.Text;

namespace Stepwise.Tasks;

/// <summary>Parses a CSV classification dataset (see <see cref="DatasetLoader.LoadCsv"/>).</summary>
internal static class CsvDataset
{
    public static ClassificationData Load(string path, int seed, string labelColumn, double valFraction)
    {
        if (!File.Exists(path))
        {
            throw DatasetLoader.Error(path, Directory.Exists(path)
                ? $"CSV dataset '{path}' is a folder, not a file."
                : $"CSV dataset '{path}' does not exist.");
        }

        string[] lines;
        try
        {
            lines = File.ReadAllLines(path, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw DatasetLoader.Error(path, $"CSV dataset '{path}' cannot be read: {ex.Message}", ex);
        }

        int headerLine = Array.FindIndex(lines, l => !string.IsNullOrWhiteSpace(l));
        if (headerLine < 0)
        {
            throw DatasetLoader.Error(path, $"CSV dataset '{path}' is empty (expected a header row).");
        }

        var header = SplitFields(lines[headerLine], path, headerLine + 1).Select(h => h.Trim()).ToList();
        for (int i = 0; i < header.Count; i++)
        {
            if (header[i].Length == 0)
            {
                throw DatasetLoader.Error(path, $"{path} line {headerLine + 1}, column {i + 1}: empty column name in the header.");
            }

            int first = header.IndexOf(header[i]);
            if (first != i)
            {
                throw DatasetLoader.Error(path, $"{path} line {headerLine + 1}, column {i + 1}: column name '{header[i]}' repeats column {first + 1}.");
            }
        }

        int labelIndex = header.IndexOf(labelColumn);
        if (labelIndex < 0)
        {
            throw DatasetLoader.Error(path, $"{path}: no '{labelColumn}' column in the header (columns: {string.Join(", ", header)}).");
        }

        int splitIndex = header.IndexOf(DatasetLoader.SplitColumn);
        var featureColumns = Enumerable.Range(0, header.Count).Where(i => i != labelIndex && i != splitIndex).ToArray();
        if (featureColumns.Length == 0)
        {
            throw DatasetLoader.Error(path, $"{path}: no feature columns (only '{labelColumn}'{(splitIndex >= 0 ? " and 'split'" : string.Empty)}).");
        }

        var rows = new List<(float[] Features, string Label, bool? IsVal)>();
        for (int li = headerLine + 1; li < lines.Length; li++)
        {
            if (string.IsNullOrWhiteSpace(lines[li]))
            {
                continue;
            }

            int lineNumber = li + 1;
            var fields = SplitFields(lines[li], path, lineNumber);
            if (fields.Count != header.Count)
            {
                throw DatasetLoader.Error(path, $"{path} line {lineNumber}: expected {header.Count} fields like the header, found {fields.Count}.");
            }

            var values = new float[featureColumns.Length];
            for (int f = 0; f < featureColumns.Length; f++)
            {
                int column = featureColumns[f];
                string text = fields[column].Trim();
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
                {
                    throw DatasetLoader.Error(
                        path, $"{path} line {lineNumber}, column {column + 1} ('{header[column]}'): '{text}' is not a finite number.");
                }

                values[f] = (float)value;
            }

            string label = fields[labelIndex].Trim();
            if (label.Length == 0)
            {
                throw DatasetLoader.Error(path, $"{path} line {lineNumber}, column {labelIndex + 1} ('{labelColumn}'): the label is empty.");
            }

            bool? isVal = null;
            if (splitIndex >= 0)
            {
                string split = fields[splitIndex].Trim().ToLowerInvariant();
                isVal = split switch
                {
                    "train" => false,
                    "val" or "valid" or "validation" or "test" => true,
                    _ => throw DatasetLoader.Error(
                        path, $"{path} line {lineNumber}, column {splitIndex + 1} ('split'): '{fields[splitIndex].Trim()}' is not 'train' or 'val'."),
                };
            }

            rows.Add((values, label, isVal));
        }

        if (rows.Count == 0)
        {
            throw DatasetLoader.Error(path, $"{path}: no data rows after the header.");
        }

        var classNames = rows.Select(r => r.Label).Distinct(StringComparer.Ordinal).ToList();
        bool numeric = classNames.All(n => long.TryParse(n, NumberStyles.Integer, CultureInfo.InvariantCulture, out _));
        if (numeric)
        {
            classNames.Sort((a, b) => long.Parse(a, CultureInfo.InvariantCulture).CompareTo(long.Parse(b, CultureInfo.InvariantCulture)));
        }
        else
        {
            classNames.Sort(StringComparer.Ordinal);
        }

        var classIndex = classNames.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
        var labels = rows.Select(r => classIndex[r.Label]).ToArray();
        var isValRow = new bool[rows.Count];
        if (splitIndex >= 0)
        {
            for (int i = 0; i < rows.Count; i++)
            {
                isValRow[i] = rows[i].IsVal!.Value;
            }

            if (!isValRow.Contains(true))
            {
                throw DatasetLoader.Error(path, $"{path}: the val split is empty (no row has split=val).");
            }

            if (!isValRow.Contains(false))
            {
                throw DatasetLoader.Error(path, $"{path}: the train split is empty (no row has split=train).");
            }

            for (int c = 0; c < classNames.Count; c++)
            {
                bool inTrain = false;
                bool inVal = false;
                for (int i = 0; i < rows.Count; i++)
                {
                    if (labels[i] == c)
                    {
                        inTrain |= !isValRow[i];
                        inVal |= isValRow[i];
                    }
                }

                if (!inVal)
                {
                    throw DatasetLoader.Error(path, $"{path}: class '{classNames[c]}' is missing from the val split (no row with split=val).");
                }

                if (!inTrain)
                {
                    throw DatasetLoader.Error(path, $"{path}: class '{classNames[c]}' is missing from the train split (no row with split=train).");
                }
            }
        }
        else
        {
            for (int c = 0; c < classNames.Count; c++)
            {
                var members = Enumerable.Range(0, rows.Count).Where(i => labels[i] == c).ToArray();
                if (members.Length < 2)
                {
                    throw DatasetLoader.Error(
                        path, $"{path}: class '{classNames[c]}' has only one row; a train/val holdout needs at least 2 per class (or add a 'split' column).");
                }

                // Fisher-Yates with the project's own generator, so the holdout is the same on every platform.
                var random = new SplitMix64(SplitMix64.Mix(seed, c, 0x5EED));
                for (int i = members.Length - 1; i > 0; i--)
                {
                    int j = random.NextInt(i + 1);
                    (members[i], members[j]) = (members[j], members[i]);
                }

                int valCount = Math.Clamp((int)Math.Round(members.Length * valFraction), 1, members.Length - 1);
                for (int i = 0; i < valCount; i++)
                {
                    isValRow[members[i]] = true;
                }
            }
        }

        return new ClassificationData(classNames, Build(rows, labels, isValRow, false, featureColumns.Length), Build(rows, labels, isValRow, true, featureColumns.Length), path)
        {
            FeatureNames = [.. featureColumns.Select(i => header[i])],
        };
    }

    private static DataSplit Build(List<(float[] Features, string Label, bool? IsVal)> rows, int[] labels, bool[] isVal, bool wantVal, int featureCount)
    {
        var selected = Enumerable.Range(0, rows.Count).Where(i => isVal[i] == wantVal).ToArray();
        var features = new float[selected.Length * featureCount];
        var splitLabels = new int[selected.Length];
        for (int k = 0; k < selected.Length; k++)
        {
            rows[selected[k]].Features.CopyTo(features, k * featureCount);
            splitLabels[k] = labels[selected[k]];
        }

        return new DataSplit(features, splitLabels, featureCount);
    }

    /// <summary>Splits one CSV record: commas separate fields, double quotes enclose fields, "" is a literal quote.</summary>
    internal static List<string> SplitFields(string line, string path, int lineNumber)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (quoted)
            {
                if (ch == '"')
                {
                    if (i + 1 < line.Length && line[i + 1] == '"')
                    {
                        current.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    current.Append(ch);
                }
            }
            else if (ch == '"' && current.ToString().Trim().Length == 0)
            {
                current.Clear();
                quoted = true;
            }
            else if (ch == ',')
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(ch);
            }
        }

        if (quoted)
        {
            throw DatasetLoader.Error(path, $"{path} line {lineNumber}, column {fields.Count + 1}: unterminated quoted field.");
        }

        fields.Add(current.ToString());
        return fields;
    }
}
