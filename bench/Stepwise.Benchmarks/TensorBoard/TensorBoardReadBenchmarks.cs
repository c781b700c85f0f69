using BenchmarkDotNet.Attributes;
using Stepwise.TensorBoard.Reading;
using Stepwise.TensorBoard.Writing;

namespace Stepwise.Benchmarks.TensorBoard;

/// <summary>
/// Reading an event file of 1,000,001 records (header + one million scalars on two tags, 44 MB) with
/// both checksums verified: full decoding into events, the scalar-only path, and framing plus
/// checksums alone. Reported per record.
/// </summary>
[MemoryDiagnoser]
public class TensorBoardReadBenchmarks
{
    private const int Records = 1_000_001;
    private string _dir = null!;
    private string _file = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "stepwise-bench-tbread-" + Guid.NewGuid().ToString("N"));
        using var writer = new SummaryWriter(_dir);
        for (int i = 0; i < Records - 1; i++)
        {
            writer.AddScalar(i % 2 == 0 ? "train/loss" : "metrics/accuracy_top1", 1.0 / (1 + i), i / 2, 1_700_000_000 + (i / 2));
        }

        _file = writer.FilePath;
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    /// <summary>Every record decoded into a <see cref="TensorBoardEvent"/>.</summary>
    [Benchmark(OperationsPerInvoke = Records)]
    public long DecodeEvents()
    {
        long steps = 0;
        using var reader = new EventFileReader(_file);
        foreach (var e in reader.ReadEvents())
        {
            steps += e.Step;
        }

        return steps;
    }

    /// <summary>Only scalars, through <see cref="EventFileReader.ReadScalars"/>.</summary>
    [Benchmark(OperationsPerInvoke = Records)]
    public double ReadScalars()
    {
        double sum = 0;
        using var reader = new EventFileReader(_file);
        foreach (var p in reader.ReadScalars())
        {
            sum += p.Value;
        }

        return sum;
    }

    /// <summary>Framing and both checksums only (<see cref="EventFileReader.TryReadRecord"/>).</summary>
    [Benchmark(OperationsPerInvoke = Records)]
    public long VerifyRecords()
    {
        long bytes = 0;
        using var reader = new EventFileReader(_file);
        while (reader.TryReadRecord(out var payload, out _))
        {
            bytes += payload.Length;
        }

        return bytes;
    }
}
