using BenchmarkDotNet.Attributes;
using Stepwise.TensorBoard.Writing;

namespace Stepwise.Benchmarks.TensorBoard;

/// <summary>
/// Writing scalars with <see cref="SummaryWriter"/>: one million scalars on one tag from opening the
/// file to dispose (everything on disk), and the cost on the calling thread of one AddScalar into an
/// open writer (the background thread does the file writes).
/// </summary>
[MemoryDiagnoser]
public class TensorBoardWriteBenchmarks : IDisposable
{
    private const int Million = 1_000_000;
    private const int Batch = 10_000;
    private string _dir = null!;
    private SummaryWriter? _open;
    private long _step;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "stepwise-bench-tb-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);

        // The calling-thread benchmark writes to a null stream so that it runs long enough without
        // filling the disk; the background thread still takes every buffer off the queue.
        _open = new SummaryWriter(Path.Combine(_dir, "open"), null, _ => Stream.Null);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _open?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>1,000,000 × AddScalar("loss", v, step) with the current wall time, then Dispose; reported per scalar.</summary>
    [Benchmark(OperationsPerInvoke = Million)]
    public long MillionScalarsIncludingDispose()
    {
        string run = Path.Combine(_dir, Guid.NewGuid().ToString("N"));
        long size;
        using (var writer = new SummaryWriter(run))
        {
            for (int i = 0; i < Million; i++)
            {
                writer.AddScalar("loss", 1.0 / (1 + i), i);
            }

            writer.Dispose();
            size = new FileInfo(writer.FilePath).Length;
        }

        Directory.Delete(run, recursive: true);
        return size;
    }

    public void Dispose()
    {
        _open?.Dispose();
        _open = null;
        GC.SuppressFinalize(this);
    }

    /// <summary>One AddScalar into an open writer: encode, checksum, copy into the buffer, hand full buffers to the queue.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public void AddScalarOnCallingThread()
    {
        var writer = _open!;
        for (int i = 0; i < Batch; i++)
        {
            writer.AddScalar("train/loss", 0.5, _step++);
        }
    }
}
