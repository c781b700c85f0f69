using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Stepwise.Dvc.Reading;

namespace Stepwise.Benchmarks.Dvc;

/// <summary>
/// Reading a DVCLive folder the way <c>stepwise hub import</c> and <c>stepwise dvc show</c> do:
/// 20 metric TSVs of 50,000 rows each (one million rows, every second file with a timestamp column),
/// a params.yaml and a metrics.json. Reported per TSV row.
/// </summary>
[MemoryDiagnoser]
public class DvcLiveReadBenchmarks
{
    private const int Series = 20;
    private const int RowsPerSeries = 50_000;
    private string _dir = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "stepwise-bench-dvcread-" + Guid.NewGuid().ToString("N"));
        var metrics = Path.Combine(_dir, "plots", "metrics", "train");
        Directory.CreateDirectory(metrics);
        File.WriteAllText(Path.Combine(_dir, "params.yaml"), "epochs: 50000\nlr0: 0.01\nmodel:\n  depth: 3\n  name: mlp\n");
        File.WriteAllText(Path.Combine(_dir, "metrics.json"), "{\n    \"train\": {\n        \"m0\": 0.5\n    },\n    \"step\": 49999\n}\n");
        for (var s = 0; s < Series; s++)
        {
            var timestamped = s % 2 == 1;
            var text = new StringBuilder(timestamped ? $"timestamp\tstep\tm{s}\n" : $"step\tm{s}\n");
            for (var step = 0; step < RowsPerSeries; step++)
            {
                if (timestamped)
                {
                    text.Append((1_700_000_000_000L + step).ToString(CultureInfo.InvariantCulture)).Append('\t');
                }

                text.Append(step.ToString(CultureInfo.InvariantCulture)).Append('\t')
                    .Append((1.0 / (1 + step)).ToString("R", CultureInfo.InvariantCulture)).Append('\n');
            }

            File.WriteAllText(Path.Combine(metrics, $"m{s}.tsv"), text.ToString());
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    /// <summary>The whole folder into a <see cref="DvcLiveDirectory"/>.</summary>
    [Benchmark(OperationsPerInvoke = Series * RowsPerSeries)]
    public int ReadFolder() => DvcLiveDirectory.Read(_dir).Series.Sum(s => s.Points.Count);
}
