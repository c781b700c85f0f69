using Stepwise.Imaging;

namespace Stepwise.Cli.Tests.Support;

/// <summary>A tiny model trained once through the real <c>stepwise train</c> command, and a folder of PNG inputs.</summary>
public sealed class CliTrainedRun : IDisposable
{
    public CliTrainedRun()
    {
        Directory.CreateDirectory(Root);
        var result = CliProcess.RunAsync(Root,
            ["train", "data=shapes", "imgsz=12", "epochs=1", "hidden=16", "batch=64", "plots=false", "verbose=false", $"project={Path.Combine(Root, "runs")}", "name=train"])
            .GetAwaiter().GetResult();
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"training failed ({result.ExitCode}): {result.Error}");
        }

        Weights = Path.Combine(Root, "runs", "train", "weights", "best.safetensors");
        Images = Path.Combine(Root, "images");
        Directory.CreateDirectory(Images);
        var data = Stepwise.Tasks.ShapesDataset.Generate(seed: 1, size: 12, trainPerClass: 1, valPerClass: 1);
        for (int i = 0; i < 3; i++)
        {
            Png.Save(data.Val.ImageAt(i).Resize(24, 24).ToRgb(), Path.Combine(Images, $"img_{i}.png"));
        }
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "stepwise-cli-" + Guid.NewGuid().ToString("N"));

    /// <summary>weights/best.safetensors of the trained run.</summary>
    public string Weights { get; }

    /// <summary>Three 24×24 RGB PNG files.</summary>
    public string Images { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
