using System.Text.Json;
using Stepwise.Dvc.Reading;
using Stepwise.TensorBoard.Model;
using Stepwise.TensorBoard.Reading;

namespace Stepwise.Cli.Modes;

/// <summary>Turns a DVCLive folder or a TensorBoard log directory into runs to import.</summary>
internal static class LogDirectoryReader
{
    private static readonly JsonSerializerOptions ParamJson = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>Reads the runs under a path: TensorBoard runs when it holds event files, else a DVCLive folder.</summary>
    /// <param name="path">The directory.</param>
    /// <param name="problems">Receives unreadable records (TensorBoard); reading goes on past them.</param>
    /// <returns>The runs, or an empty list when the path holds neither.</returns>
    public static IReadOnlyList<ImportedRun> Read(string path, List<string> problems)
    {
        if (!Directory.Exists(path))
        {
            throw new DirectoryNotFoundException($"{path} does not exist or is not a directory.");
        }

        var runs = EventDirectory.FindRuns(path);
        if (runs.Count > 0)
        {
            return [.. runs.Select(run => FromTensorBoard(path, run, problems)).Where(r => r.Values.Count + r.Params.Count + r.Images.Count > 0)];
        }

        return DvcLiveDirectory.Locate(path) is { } live ? [FromDvcLive(DvcLiveDirectory.Read(live))] : [];
    }

    /// <summary>A DVCLive folder as one run.</summary>
    /// <param name="live">The folder's content.</param>
    /// <returns>The run.</returns>
    public static ImportedRun FromDvcLive(DvcLiveDirectory live)
    {
        var folder = System.IO.Path.GetFileName(live.Dir);
        var name = folder == "dvclive" ? System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(live.Dir)) ?? folder : folder;
        var run = new ImportedRun(name, "dvclive", live.Dir);
        foreach (var (key, value) in live.Params)
        {
            run.Params[key] = JsonSerializer.SerializeToElement(value, ParamJson);
        }

        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var series in live.Series)
        {
            named.Add(series.Name);
            foreach (var point in series.Points)
            {
                if (double.IsFinite(point.Value) && point.Step >= 0)
                {
                    run.Values.Add((series.Name, point.Step, point.Value));
                }
            }
        }

        // Metrics logged without a plot exist only in metrics.json: keep them at the recorded step.
        foreach (var (key, value) in live.NumericSummary())
        {
            if (!named.Contains(key))
            {
                run.Values.Add((key, Math.Max(0, live.Step ?? 0), value));
            }
        }

        foreach (var image in live.Images)
        {
            run.Images.Add((image.Name, image.Step, () => File.ReadAllBytes(image.Path)));
        }

        return run;
    }

    private static ImportedRun FromTensorBoard(string logDir, string relative, List<string> problems)
    {
        var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(logDir, relative));
        var name = relative == "." ? System.IO.Path.GetFileName(System.IO.Path.GetFullPath(logDir).TrimEnd(System.IO.Path.DirectorySeparatorChar)) : relative;
        var run = new ImportedRun(name, "tensorboard", full);
        var options = new EventReaderOptions { OnCorruptRecord = CorruptRecordMode.Skip };
        foreach (var file in EventDirectory.EventFiles(full))
        {
            using var reader = new EventFileReader(file, options);
            foreach (var e in reader.ReadEvents())
            {
                foreach (var value in e.Values)
                {
                    switch (value.Kind)
                    {
                        case SummaryValueKind.Scalar when double.IsFinite(value.Scalar) && e.Step >= 0:
                            run.Values.Add((value.Tag, e.Step, value.Scalar));
                            break;
                        case SummaryValueKind.HParams when value.HParams is { Kind: HParamsKind.SessionStart } hparams:
                            foreach (var (key, v) in hparams.Values)
                            {
                                run.Params[key] = JsonSerializer.SerializeToElement(v, ParamJson);
                            }

                            break;
                        case SummaryValueKind.Image when value.Image is { Encoded.Length: > 0 } image:
                            var bytes = image.Encoded;
                            run.Images.Add((value.Tag + Extension(bytes), Math.Max(0, e.Step), () => bytes));
                            break;
                        default:
                            break;
                    }
                }
            }

            problems.AddRange(reader.Problems.Select(p => p.ToString()));
        }

        return run;
    }

    private static string Extension(byte[] bytes) => bytes switch
    {
        [0x89, 0x50, 0x4e, 0x47, ..] => ".png",
        [0xff, 0xd8, ..] => ".jpg",
        [0x47, 0x49, 0x46, ..] => ".gif",
        _ => ".bin",
    };
}
