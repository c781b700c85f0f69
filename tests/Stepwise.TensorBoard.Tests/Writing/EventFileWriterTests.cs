using System.Text.RegularExpressions;
using Stepwise.TensorBoard.Reading;
using Stepwise.TensorBoard.Records;
using Stepwise.TensorBoard.Tests.Support;
using Stepwise.TensorBoard.Writing;

namespace Stepwise.TensorBoard.Tests.Writing;

public class EventFileWriterTests
{
    [Fact]
    public void The_file_is_named_with_ten_digit_seconds_host_pid_and_counter_and_starts_with_the_version_record()
    {
        using var dir = new TempDirectory();
        var time = new ManualTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_250));
        using var writer = new EventFileWriter(dir.Path, new EventFileWriterOptions { Time = time, HostName = "box", FileNameSuffix = ".v2" });
        Assert.Matches(new Regex($@"^events\.out\.tfevents\.1700000000\.box\.{Environment.ProcessId}\.\d+\.v2$"), Path.GetFileName(writer.FilePath));

        var header = EventFileReader.ReadFile(writer.FilePath).Single();
        Assert.Equal(EventKind.FileVersion, header.Kind);
        Assert.Equal("brain.Event:2", header.FileVersion);
        Assert.Equal(1_700_000_000.25, header.WallTime);
    }

    [Fact]
    public void Two_writers_in_one_directory_in_the_same_second_get_different_files_and_lose_nothing()
    {
        using var dir = new TempDirectory();
        var options = new EventFileWriterOptions { Time = ManualTimeProvider.AtUnixSeconds(1_700_000_000), HostName = "box" };
        using var a = new SummaryWriter(dir.Path, new SummaryWriterOptions { File = options });
        using var b = new SummaryWriter(dir.Path, new SummaryWriterOptions { File = options });
        Assert.NotEqual(a.FilePath, b.FilePath);
        var threads = new[] { a, b }.Select((w, k) => new Thread(() =>
        {
            for (int i = 0; i < 5000; i++)
            {
                w.AddScalar("w" + k, i, i);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        a.Dispose();
        b.Dispose();

        foreach (var (file, tag) in new[] { (a.FilePath, "w0"), (b.FilePath, "w1") })
        {
            using var reader = new EventFileReader(file);
            var points = reader.ReadScalars().ToList();
            Assert.Empty(reader.Problems);
            Assert.All(points, p => Assert.Equal(tag, p.Tag));
            Assert.Equal(Enumerable.Range(0, 5000).Select(i => (long)i), points.Select(p => p.Step));
        }
    }

    [Fact]
    public void Several_threads_writing_one_writer_produce_whole_records_in_per_thread_order()
    {
        using var dir = new TempDirectory();
        const int Threads = 4;
        const int PerThread = 20_000;
        string file;
        using (var writer = new SummaryWriter(dir.Path, new SummaryWriterOptions { File = new EventFileWriterOptions { BufferSize = 4096, MaxQueue = 2 } }))
        {
            var threads = Enumerable.Range(0, Threads).Select(k => new Thread(() =>
            {
                for (int i = 0; i < PerThread; i++)
                {
                    writer.AddScalar($"thread{k}/value", i, i);
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            file = writer.FilePath;
        }

        using var reader = new EventFileReader(file, new EventReaderOptions { OnCorruptRecord = CorruptRecordMode.Throw });
        var points = reader.ReadScalars().ToList();
        Assert.Equal(Threads * PerThread, points.Count);
        for (int k = 0; k < Threads; k++)
        {
            var mine = points.Where(p => p.Tag == $"thread{k}/value").ToList();
            Assert.Equal(Enumerable.Range(0, PerThread).Select(i => (long)i), mine.Select(p => p.Step));
            Assert.All(mine, p => Assert.Equal(p.Step, (long)p.Value));
        }
    }

    [Fact]
    public void Pending_records_reach_the_file_when_the_flush_interval_elapses_on_the_clock()
    {
        using var dir = new TempDirectory();
        var time = ManualTimeProvider.AtUnixSeconds(1_700_000_000);
        using var writer = new SummaryWriter(dir.Path, new SummaryWriterOptions { File = new EventFileWriterOptions { Time = time } });
        writer.AddScalar("loss", 0.5, 1);
        writer.FileWriter.WaitForBackground();
        Assert.Equal(40, new FileInfo(writer.FilePath).Length);

        time.Advance(TimeSpan.FromSeconds(119));
        writer.FileWriter.WaitForBackground();
        Assert.Equal(40, new FileInfo(writer.FilePath).Length);

        time.Advance(TimeSpan.FromSeconds(1));
        writer.FileWriter.WaitForBackground();
        var events = EventFileReader.ReadFile(writer.FilePath).ToList();
        Assert.Equal(2, events.Count);
        Assert.Equal(0.5, events[1].Values[0].Scalar);

        writer.AddScalar("loss", 0.25, 2);
        time.Advance(TimeSpan.FromSeconds(120));
        writer.FileWriter.WaitForBackground();
        Assert.Equal(3, EventFileReader.ReadFile(writer.FilePath).Count());
    }

    [Fact]
    public void A_configured_flush_interval_is_used_instead_of_the_default()
    {
        using var dir = new TempDirectory();
        var time = ManualTimeProvider.AtUnixSeconds(1_700_000_000);
        using var writer = new EventFileWriter(dir.Path, new EventFileWriterOptions { Time = time, FlushInterval = TimeSpan.FromSeconds(2) });
        writer.WriteEvent(Payload(1));
        time.Advance(TimeSpan.FromSeconds(2));
        writer.WaitForBackground();
        Assert.Equal(2, EventFileReader.ReadFile(writer.FilePath).Count());
    }

    [Fact]
    public void Flush_makes_everything_written_so_far_readable_at_once()
    {
        using var dir = new TempDirectory();
        using var writer = new SummaryWriter(dir.Path, new SummaryWriterOptions { File = new EventFileWriterOptions { FlushInterval = Timeout.InfiniteTimeSpan } });
        for (int i = 0; i < 10; i++)
        {
            writer.AddScalar("x", i, i);
        }

        writer.Flush();
        Assert.Equal(11, EventFileReader.ReadFile(writer.FilePath).Count());
    }

    [Fact]
    public void Records_larger_than_the_buffer_keep_their_order()
    {
        using var dir = new TempDirectory();
        string file;
        using (var writer = new EventFileWriter(dir.Path, new EventFileWriterOptions { BufferSize = 4096 }))
        {
            writer.WriteEvent(Payload(1));
            writer.WriteEvent(Payload(2, padding: 10_000));
            writer.WriteEvent(Payload(3));
            file = writer.FilePath;
        }

        Assert.Equal([0L, 1L, 2L, 3L], EventFileReader.ReadFile(file).Select(e => e.Step));
    }

    [Fact]
    public void Writing_after_dispose_is_an_error_and_dispose_twice_is_harmless()
    {
        using var dir = new TempDirectory();
        var writer = new EventFileWriter(dir.Path);
        writer.Dispose();
        writer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => writer.WriteEvent(Payload(1)));
        Assert.Throws<ObjectDisposedException>(writer.Flush);
    }

    [Fact]
    public void A_disk_failure_surfaces_on_the_next_call_and_at_dispose_and_keeps_what_was_written()
    {
        using var dir = new TempDirectory();
        GateStream? stream = null;
        var writer = new EventFileWriter(dir.Path, new EventFileWriterOptions { FlushInterval = Timeout.InfiniteTimeSpan }, path => stream = new GateStream(path));
        writer.WriteEvent(Payload(1));
        writer.Flush();
        stream!.FailAfterBytes = new FileInfo(writer.FilePath).Length;
        writer.WriteEvent(Payload(2));
        var flush = Assert.Throws<IOException>(writer.Flush);
        Assert.Contains(writer.FilePath, flush.Message, StringComparison.Ordinal);
        Assert.Contains("No space left on device", flush.Message, StringComparison.Ordinal);
        Assert.Throws<IOException>(() => writer.WriteEvent(Payload(3)));
        Assert.Throws<IOException>(writer.Dispose);

        Assert.Equal([0L, 1L], EventFileReader.ReadFile(writer.FilePath).Select(e => e.Step));
    }

    [Fact]
    public void A_full_queue_blocks_the_caller_until_the_disk_catches_up()
    {
        using var dir = new TempDirectory();
        GateStream? stream = null;
        var options = new EventFileWriterOptions { BufferSize = 4096, MaxQueue = 2, FlushInterval = Timeout.InfiniteTimeSpan };
        var writer = new EventFileWriter(dir.Path, options, path => stream = new GateStream(path));
        stream!.Close(true);
        int written = 0;
        var producer = new Thread(() =>
        {
            for (int i = 1; i <= 2000; i++)
            {
                writer.WriteEvent(Payload(i));
                Interlocked.Exchange(ref written, i);
            }
        });
        producer.Start();

        // The background thread holds one buffer at the gate and the queue holds MaxQueue more: the
        // producer cannot get further than about (MaxQueue + 2) buffers of ~100 records.
        Assert.True(SpinWait.SpinUntil(
            () => stream.WritesEntered >= 1 && writer.QueuedBuffers == options.MaxQueue && (producer.ThreadState & ThreadState.WaitSleepJoin) != 0,
            TimeSpan.FromSeconds(30)));
        Assert.True(producer.IsAlive);
        Assert.InRange(Volatile.Read(ref written), 1, (options.MaxQueue + 2) * (options.BufferSize / 20));

        stream.Close(false);
        producer.Join();
        writer.Dispose();
        Assert.Equal(2001, EventFileReader.ReadFile(writer.FilePath).Count());
    }

    [Fact]
    public void Invalid_options_are_rejected_with_the_option_named()
    {
        using var dir = new TempDirectory();
        Assert.Contains("MaxQueue", Assert.Throws<ArgumentOutOfRangeException>(() => new EventFileWriter(dir.Path, new EventFileWriterOptions { MaxQueue = 0 })).Message, StringComparison.Ordinal);
        Assert.Contains("FlushInterval", Assert.Throws<ArgumentOutOfRangeException>(() => new EventFileWriter(dir.Path, new EventFileWriterOptions { FlushInterval = TimeSpan.Zero })).Message, StringComparison.Ordinal);
        Assert.Contains("BufferSize", Assert.Throws<ArgumentOutOfRangeException>(() => new EventFileWriter(dir.Path, new EventFileWriterOptions { BufferSize = 100 })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new EventFileWriter(dir.Path, new EventFileWriterOptions { FileNameSuffix = "a/b" }));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    private static byte[] Payload(long step, int padding = 0)
    {
        var w = new ProtoWriter();
        w.Double(1, 1_700_000_000.0 + step);
        w.Int64(2, step);
        if (padding > 0)
        {
            w.Bytes(9, new byte[padding]);
        }

        return w.ToArray();
    }
}
