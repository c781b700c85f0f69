using System.Globalization;
using System.Text.Json;
using Stepwise.Dvc.Reading;

namespace Stepwise.Cli.Modes;

/// <summary><c>stepwise dvc show &lt;dir&gt;</c>: a summary of what a DVCLive folder holds.</summary>
internal sealed class DvcMode : ICliMode
{
    private static readonly JsonSerializerOptions ParamJson = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public string Name => "dvc";

    public string Summary => "Summarise a DVCLive folder: params, metrics, series and images (show).";

    public void WriteHelp(TextWriter writer)
    {
        writer.WriteLine("Usage:");
        writer.WriteLine("  stepwise dvc show <dir>     params, summary metrics, every metric series (points, steps, last, min, max), images");
        writer.WriteLine();
        writer.WriteLine("<dir> is the folder DVCLive wrote (the one with metrics.json and plots/), or the folder that");
        writer.WriteLine("contains it as 'dvclive'. A file that cannot be read is reported with its path and line; the");
        writer.WriteLine("exit code is then 1.");
        writer.WriteLine();
        writer.WriteLine("Examples:");
        writer.WriteLine("  stepwise dvc show dvclive");
        writer.WriteLine("  stepwise dvc show experiments/run-3");
    }

    public async Task<int> RunAsync(CliArguments args, CliContext context)
    {
        if (args.Positionals.Count == 0)
        {
            throw new CliUsageException("Missing command: stepwise dvc show <dir>.");
        }

        if (args.Positionals[0] != "show")
        {
            throw new CliUsageException($"Unknown dvc command '{args.Positionals[0]}': use show.");
        }

        if (args.Positionals.Count != 2)
        {
            throw new CliUsageException($"stepwise dvc show takes one folder, got {args.Positionals.Count - 1}.");
        }

        args.RejectUnknown([]);
        var path = args.Positionals[1];
        if (DvcLiveDirectory.Locate(path) is not { } dir)
        {
            await context.Error.WriteLineAsync($"stepwise dvc: {path} is not a DVCLive folder (no metrics.json, params.yaml or plots/, and no 'dvclive' folder inside).").ConfigureAwait(false);
            return 1;
        }

        DvcLiveDirectory live;
        try
        {
            live = DvcLiveDirectory.Read(dir);
        }
        catch (DvcLiveFormatException ex)
        {
            await context.Error.WriteLineAsync($"stepwise dvc: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        Write(live, context.Out);
        return 0;
    }

    private static void Write(DvcLiveDirectory live, TextWriter output)
    {
        output.WriteLine($"DVCLive folder {live.Dir}");
        output.WriteLine(live.Step is { } step ? $"step {step.ToString(CultureInfo.InvariantCulture)}" : "step (not recorded)");
        output.WriteLine();
        output.WriteLine($"params ({live.Params.Count})");
        foreach (var (key, value) in live.Params)
        {
            output.WriteLine($"  {key} = {JsonSerializer.Serialize(value, ParamJson)}");
        }

        var summary = live.NumericSummary();
        output.WriteLine();
        output.WriteLine($"metrics ({summary.Count})");
        foreach (var (key, value) in summary)
        {
            output.WriteLine($"  {key} = {Number(value)}");
        }

        output.WriteLine();
        output.WriteLine($"series ({live.Series.Count})");
        if (live.Series.Count > 0)
        {
            var width = Math.Max(4, live.Series.Max(s => s.Name.Length));
            output.WriteLine($"  {"name".PadRight(width)}  {"points",6}  {"steps",-13}  {"last",12}  {"min",12}  {"max",12}");
            foreach (var series in live.Series)
            {
                var finite = series.Points.Where(p => double.IsFinite(p.Value)).Select(p => p.Value).ToList();
                var steps = series.Points.Count == 0 ? "-" : $"{series.Points.Min(p => p.Step)}..{series.Points.Max(p => p.Step)}";
                var last = series.Points.Count == 0 ? "-" : Number(series.Points[^1].Value);
                var min = finite.Count == 0 ? "-" : Number(finite.Min());
                var max = finite.Count == 0 ? "-" : Number(finite.Max());
                output.WriteLine($"  {series.Name.PadRight(width)}  {series.Points.Count,6}  {steps,-13}  {last,12}  {min,12}  {max,12}");
            }
        }

        output.WriteLine();
        output.WriteLine($"images ({live.Images.Count})");
        foreach (var image in live.Images)
        {
            output.WriteLine($"  {image.Name}  step {image.Step.ToString(CultureInfo.InvariantCulture)}  {new FileInfo(image.Path).Length.ToString(CultureInfo.InvariantCulture)} bytes");
        }
    }

    private static string Number(double value) => value switch
    {
        double.NaN => "nan",
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        _ => value.ToString("G6", CultureInfo.InvariantCulture),
    };
}
