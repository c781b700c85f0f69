using System.Globalization;
using System.Text;
using System.Text.Json;
using Stepwise.TensorBoard.Reading;

namespace Stepwise.Cli.Modes;

/// <summary><c>stepwise tb</c>: list and export what TensorBoard event files under a log directory hold.</summary>
internal sealed class TbMode : ICliMode
{
    private static readonly string[] Formats = ["csv", "json"];

    public string Name => "tb";

    public string Summary => "List runs and tags of TensorBoard event files (ls) or export their scalars (export).";

    public void WriteHelp(TextWriter writer)
    {
        writer.WriteLine("Usage:");
        writer.WriteLine("  stepwise tb ls <logdir>                                  runs, tags, kinds, counts, step ranges, last values");
        writer.WriteLine("  stepwise tb export <logdir> --format csv|json [--out F]  every scalar: run, tag, step, wall time, value");
        writer.WriteLine();
        writer.WriteLine("A run is every directory under <logdir> (itself included) that holds an event file, as");
        writer.WriteLine("TensorBoard counts them. Every record's checksums are verified; a corrupt or truncated record");
        writer.WriteLine("is reported on standard error with its file and byte offset, and reading resumes at the next");
        writer.WriteLine("valid record. The exit code is 1 when any record was bad.");
        writer.WriteLine();
        writer.WriteLine("Examples:");
        writer.WriteLine("  stepwise tb ls runs/classify/train");
        writer.WriteLine("  stepwise tb export runs/classify --format csv --out scalars.csv");
    }

    public async Task<int> RunAsync(CliArguments args, CliContext context)
    {
        if (args.Positionals.Count == 0)
        {
            throw new CliUsageException("Missing command: stepwise tb ls <logdir> or stepwise tb export <logdir> --format csv|json.");
        }

        string command = args.Positionals[0];
        if (command is not ("ls" or "export"))
        {
            throw new CliUsageException($"Unknown tb command '{command}': use ls or export.");
        }

        if (args.Positionals.Count != 2)
        {
            throw new CliUsageException($"stepwise tb {command} takes one log directory, got {args.Positionals.Count - 1}.");
        }

        string logDir = args.Positionals[1];
        if (!Directory.Exists(logDir))
        {
            context.Error.WriteLine($"stepwise tb: log directory {logDir} does not exist.");
            return 1;
        }

        var problems = new List<RecordProblem>();
        int code;
        if (command == "ls")
        {
            args.RejectUnknown([]);
            code = List(logDir, context.Out, problems);
        }
        else
        {
            args.RejectUnknown(["format", "out"]);
            string format = (args.Get("format") ?? string.Empty).ToLowerInvariant();
            if (!Formats.Contains(format))
            {
                throw new CliUsageException($"--format must be csv or json, got '{args.Get("format") ?? ""}'.");
            }

            string? outPath = args.Get("out");
            code = outPath is null ? Export(logDir, format, context.Out, problems) : ExportToFile(logDir, format, outPath, problems);
        }

        foreach (var problem in problems)
        {
            context.Error.WriteLine($"stepwise tb: {problem}");
        }

        await context.Out.FlushAsync(context.Cancellation).ConfigureAwait(false);
        return problems.Count > 0 ? 1 : code;
    }

    private static int ExportToFile(string logDir, string format, string outPath, List<RecordProblem> problems)
    {
        string full = Path.GetFullPath(outPath);
        string temp = full + ".tmp";
        using (var writer = new StreamWriter(temp, append: false, new UTF8Encoding(false)))
        {
            Export(logDir, format, writer, problems);
        }

        File.Move(temp, full, overwrite: true);
        return 0;
    }

    private static IEnumerable<(string Run, IEnumerable<TensorBoardEvent> Events)> Runs(string logDir, List<RecordProblem> problems)
    {
        var options = new EventReaderOptions { OnCorruptRecord = CorruptRecordMode.Skip };
        foreach (string run in EventDirectory.FindRuns(logDir))
        {
            yield return (run, ReadRun(Path.Combine(logDir, run), options, problems));
        }
    }

    private static IEnumerable<TensorBoardEvent> ReadRun(string dir, EventReaderOptions options, List<RecordProblem> problems)
    {
        foreach (string file in EventDirectory.EventFiles(dir))
        {
            using var reader = new EventFileReader(file, options);
            foreach (var e in reader.ReadEvents())
            {
                yield return e;
            }

            problems.AddRange(reader.Problems);
        }
    }

    private static int List(string logDir, TextWriter output, List<RecordProblem> problems)
    {
        var runs = EventDirectory.FindRuns(logDir);
        if (runs.Count == 0)
        {
            output.WriteLine($"No event files under {logDir}.");
            return 0;
        }

        foreach (var (run, events) in Runs(logDir, problems))
        {
            var tags = new SortedDictionary<string, TagStats>(StringComparer.Ordinal);
            int count = 0;
            int files = EventDirectory.EventFiles(Path.Combine(logDir, run)).Count;
            foreach (var e in events)
            {
                count++;
                if (e.Kind == EventKind.Graph)
                {
                    Add(tags, "(graph)", "graph", e.Step, double.NaN);
                }

                foreach (var v in e.Values)
                {
                    Add(tags, v.Tag, KindName(v.Kind), e.Step, v.Kind == SummaryValueKind.Scalar ? v.Scalar : double.NaN);
                }
            }

            output.WriteLine($"run {run}  ({files} file{(files == 1 ? "" : "s")}, {count} events)");
            if (tags.Count == 0)
            {
                continue;
            }

            int width = Math.Max(3, tags.Keys.Max(k => k.Length)) + 2;
            output.WriteLine($"  {"tag".PadRight(width)}{"kind",-12}{"count",7}  {"steps",-15}last");
            foreach (var (tag, s) in tags)
            {
                string steps = s.MinStep == s.MaxStep ? s.MinStep.ToString(CultureInfo.InvariantCulture) : $"{s.MinStep}-{s.MaxStep}";
                string last = double.IsNaN(s.Last) ? string.Empty : FormatNumber(s.Last);
                output.WriteLine($"  {tag.PadRight(width)}{s.Kind,-12}{s.Count,7}  {steps,-15}{last}".TrimEnd());
            }
        }

        return 0;
    }

    private static int Export(string logDir, string format, TextWriter output, List<RecordProblem> problems)
    {
        if (format == "csv")
        {
            output.Write("run,tag,step,wall_time,value\n");
            foreach (var (run, events) in Runs(logDir, problems))
            {
                foreach (var e in events)
                {
                    foreach (var v in e.Values.Where(v => v.Kind == SummaryValueKind.Scalar))
                    {
                        output.Write($"{Csv(run)},{Csv(v.Tag)},{e.Step},{e.WallTime.ToString("R", CultureInfo.InvariantCulture)},{FormatNumber(v.Scalar)}\n");
                    }
                }
            }

            return 0;
        }

        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartObject("runs");
            foreach (var (run, events) in Runs(logDir, problems))
            {
                var series = new SortedDictionary<string, List<(long Step, double Wall, double Value)>>(StringComparer.Ordinal);
                foreach (var e in events)
                {
                    foreach (var v in e.Values.Where(v => v.Kind == SummaryValueKind.Scalar))
                    {
                        if (!series.TryGetValue(v.Tag, out var list))
                        {
                            series[v.Tag] = list = [];
                        }

                        list.Add((e.Step, e.WallTime, v.Scalar));
                    }
                }

                json.WriteStartObject(run);
                foreach (var (tag, points) in series)
                {
                    json.WriteStartArray(tag);
                    foreach (var (step, wall, value) in points)
                    {
                        json.WriteStartObject();
                        json.WriteNumber("step", step);
                        json.WriteNumber("wall_time", wall);
                        if (double.IsFinite(value))
                        {
                            json.WriteNumber("value", double.Parse(FormatNumber(value), CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            json.WriteString("value", FormatNumber(value));
                        }

                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        output.Write(Encoding.UTF8.GetString(stream.ToArray()));
        output.Write('\n');
        return 0;
    }

    private static void Add(SortedDictionary<string, TagStats> tags, string tag, string kind, long step, double value)
    {
        if (!tags.TryGetValue(tag, out var s))
        {
            tags[tag] = s = new TagStats { Kind = kind, MinStep = step, MaxStep = step };
        }

        s.Count++;
        s.MinStep = Math.Min(s.MinStep, step);
        s.MaxStep = Math.Max(s.MaxStep, step);
        s.Last = value;
    }

    private static string KindName(SummaryValueKind kind) => kind switch
    {
        SummaryValueKind.PrCurve => "pr_curve",
        SummaryValueKind.CustomScalars => "layout",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static bool IsFloat(double value) => (double)(float)value == value;

    /// <summary>Shortest text that reads back to the same number; float32 values print as float32 (0.91, not 0.9100000262).</summary>
    private static string FormatNumber(double value) =>
        IsFloat(value) ? ((float)value).ToString("R", CultureInfo.InvariantCulture) : value.ToString("R", CultureInfo.InvariantCulture);

    private static string Csv(string text) =>
        text.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;

    private sealed class TagStats
    {
        public string Kind { get; init; } = string.Empty;

        public int Count { get; set; }

        public long MinStep { get; set; }

        public long MaxStep { get; set; }

        public double Last { get; set; } = double.NaN;
    }
}
