using System.Globalization;
using System.Text;
using Stepwise.Imaging;
using Stepwise.Tasks;

namespace Stepwise.Tests.Engine;

/// <summary>
/// One tiny image model (12×12 shapes, 6 classes) and one tiny tabular model (CSV with columns
/// a, b, c and 3 classes), trained once per test class, plus helpers to write PNG inputs.
/// </summary>
public sealed class TrainedModels : IDisposable
{
    private readonly TempDirectory _dir = new();

    public TrainedModels()
    {
        var image = EngineTestRun.Create(EngineTestRun.Args(_dir.Combine("runs"), ("epochs", "2"), ("name", "img")));
        image.Train();
        ImageCheckpoint = image.BestPath;

        CsvPath = _dir.Combine("table.csv");
        var sb = new StringBuilder("a,b,c,label\n");
        for (int i = 0; i < 60; i++)
        {
            int c = i % 3;
            sb.Append(CultureInfo.InvariantCulture, $"{c + (0.1 * (i % 5))},{(2 - c) * 0.5},{(i % 7) * 0.01},k{c}\n");
        }

        File.WriteAllText(CsvPath, sb.ToString());
        var tabular = EngineTestRun.Create(
            EngineTestRun.Args(_dir.Combine("runs"), ("epochs", "2"), ("name", "tab"), ("data", CsvPath), ("batch", "8")),
            data: DatasetLoader.Load(CsvPath, 12));
        tabular.Train();
        TabularCheckpoint = tabular.BestPath;
    }

    public string ImageCheckpoint { get; }

    public string TabularCheckpoint { get; }

    public string CsvPath { get; }

    /// <summary>Validation images of the tiny dataset, as the model sees them.</summary>
    public static DataSplit Val => EngineTestRun.TinyData.Val;

    /// <summary>Writes validation images as 8-bit gray PNG files named <c>pred_0.png</c>, <c>pred_1.png</c> …</summary>
    public static List<string> WriteImages(string folder, int count)
    {
        Directory.CreateDirectory(folder);
        var paths = new List<string>();
        for (int i = 0; i < count; i++)
        {
            string path = Path.Combine(folder, $"pred_{i}.png");
            Png.Save(Val.ImageAt(i), path);
            paths.Add(path);
        }

        return paths;
    }

    public void Dispose() => _dir.Dispose();
}
