using System.Security.Cryptography;
using System.Text;
using Stepwise.Hub.Spool;
using Stepwise.Hub.Tests.Support;

namespace Stepwise.Hub.Tests.Spool;

public sealed class HubSpoolTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ListLogger _log = new();

    public void Dispose() => _dir.Dispose();

    private string SpoolDir => _dir.Combine("run", "hub-spool");

    private HubSpool Open(long limit = 1 << 20) => HubSpool.Open(SpoolDir, limit, _log);

    private static KeyValuePair<string, double>[] Values(double loss) => [new("train/loss", loss), new("metrics/accuracy_top1", 0.5)];

    private string WriteFile(string name, int size, byte fill)
    {
        string path = _dir.Combine(name);
        File.WriteAllBytes(path, Enumerable.Repeat(fill, size).ToArray());
        return path;
    }

    [Fact]
    public void Metrics_and_uploads_come_back_in_order_after_reopening()
    {
        string ckpt = WriteFile("last.safetensors", 100, 7);
        using (var spool = Open())
        {
            spool.SetRun(new SpoolRun("c0ffee", "demo", "{\"name\":\"train\"}", null));
            spool.AppendMetrics(0, Values(1.25));
            spool.AppendUpload(ckpt, "last", "last.safetensors", 0);
            spool.AppendMetrics(1, Values(0.75));
        }

        using var reopened = Open();
        var pending = reopened.Pending;
        Assert.Equal(3, pending.Count);
        Assert.Equal([SpoolEntryKind.Metrics, SpoolEntryKind.Upload, SpoolEntryKind.Metrics], pending.Select(e => e.Kind));
        Assert.Equal([0, 0, 1], pending.Select(e => e.Epoch!.Value));
        Assert.Equal(Values(0.75), pending[2].Values);
        Assert.Equal(100, pending[1].Size);
        Assert.Equal(new SpoolRun("c0ffee", "demo", "{\"name\":\"train\"}", null), reopened.Run);
        Assert.True(pending.Select(e => e.Seq).SequenceEqual(pending.Select(e => e.Seq).Order()));
    }

    [Fact]
    public void Completed_entries_are_not_replayed_and_their_snapshots_are_deleted()
    {
        string ckpt = WriteFile("last.safetensors", 64, 1);
        using (var spool = Open())
        {
            var m0 = spool.AppendMetrics(0, Values(1));
            var up = spool.AppendUpload(ckpt, "last", "last.safetensors", 0)!;
            spool.AppendMetrics(1, Values(2));
            string snapshot = spool.PathOf(up);
            Assert.True(File.Exists(snapshot));

            spool.Complete([m0, up]);

            Assert.False(File.Exists(snapshot));
            Assert.Single(spool.Pending);
        }

        using var reopened = Open();
        var entry = Assert.Single(reopened.Pending);
        Assert.Equal(1, entry.Epoch);
        var next = reopened.AppendMetrics(2, Values(3));
        Assert.True(next.Seq > entry.Seq);
    }

    [Fact]
    public void An_upload_sends_the_file_as_it_was_when_queued_not_as_it_is_later()
    {
        string ckpt = WriteFile("last.safetensors", 1000, 1);
        using var spool = Open();

        var entry = spool.AppendUpload(ckpt, "last", "last.safetensors", 3)!;
        File.WriteAllBytes(ckpt, Enumerable.Repeat((byte)2, 2000).ToArray());

        byte[] snapshot = File.ReadAllBytes(spool.PathOf(entry));
        Assert.Equal(1000, snapshot.Length);
        Assert.All(snapshot, b => Assert.Equal(1, b));
        Assert.Equal(1000, entry.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(snapshot)), entry.Sha256);
        Assert.Equal(3, entry.Epoch);
    }

    [Fact]
    public void A_torn_last_record_from_a_killed_process_is_ignored_and_cut_off()
    {
        using (var spool = Open())
        {
            spool.AppendMetrics(0, Values(1));
            spool.AppendMetrics(1, Values(2));
        }

        string journal = Path.Combine(SpoolDir, HubSpool.JournalName);
        File.AppendAllText(journal, "{\"op\":\"metrics\",\"seq\":3,\"epo");

        using (var spool = Open())
        {
            Assert.Equal(2, spool.Pending.Count);
            Assert.Contains(_log.Warnings, w => w.Contains("incomplete last record", StringComparison.Ordinal));
            spool.AppendMetrics(2, Values(3));
        }

        using var again = Open();
        Assert.Equal([0, 1, 2], again.Pending.Select(e => e.Epoch!.Value));
        Assert.EndsWith("\n", File.ReadAllText(journal), StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_record_in_the_middle_is_an_error_naming_the_file_and_line()
    {
        using (var spool = Open())
        {
            spool.AppendMetrics(0, Values(1));
            spool.AppendMetrics(1, Values(2));
        }

        string journal = Path.Combine(SpoolDir, HubSpool.JournalName);
        var lines = File.ReadAllLines(journal);
        lines[0] = "{not json";
        File.WriteAllText(journal, string.Join("\n", lines) + "\n");

        var ex = Assert.Throws<InvalidDataException>(() => Open());
        Assert.Contains(journal, ex.Message, StringComparison.Ordinal);
        Assert.Contains("line 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void When_the_bound_is_reached_the_oldest_checkpoints_go_first_and_metrics_last()
    {
        string ckpt = WriteFile("last.safetensors", 40_000, 3);
        using var spool = Open(limit: 100_000);
        var m0 = spool.AppendMetrics(0, Values(1));
        var u1 = spool.AppendUpload(ckpt, "last", "last.safetensors", 0)!;
        var u2 = spool.AppendUpload(ckpt, "last", "last.safetensors", 1)!;
        string firstSnapshot = spool.PathOf(u1);

        var u3 = spool.AppendUpload(ckpt, "last", "last.safetensors", 2)!;

        var pending = spool.Pending.Select(e => e.Seq).ToList();
        Assert.DoesNotContain(u1.Seq, pending);
        Assert.Contains(u2.Seq, pending);
        Assert.Contains(u3.Seq, pending);
        Assert.Contains(m0.Seq, pending);
        Assert.False(File.Exists(firstSnapshot));
        Assert.True(spool.SizeBytes <= 100_000);
        Assert.Equal(1, spool.DroppedCount);
        Assert.Contains(_log.Warnings, w => w.Contains("bound", StringComparison.Ordinal) && w.Contains("1 checkpoint upload", StringComparison.Ordinal));
    }

    [Fact]
    public void Metrics_are_dropped_only_when_no_checkpoint_is_left_to_drop()
    {
        using var spool = Open(limit: 4096);
        var names = Enumerable.Range(0, 20).Select(i => new KeyValuePair<string, double>($"metric/number_{i:D3}", i)).ToArray();
        for (int epoch = 0; epoch < 30; epoch++)
        {
            spool.AppendMetrics(epoch, names);
        }

        Assert.True(spool.SizeBytes <= 4096);
        var epochs = spool.Pending.Select(e => e.Epoch!.Value).ToList();
        Assert.NotEmpty(epochs);
        Assert.Equal(29, epochs[^1]);
        Assert.Equal(Enumerable.Range(epochs[0], epochs.Count), epochs);
        Assert.Contains(_log.Warnings, w => w.Contains("epoch(s) of metrics", StringComparison.Ordinal));
    }

    [Fact]
    public void A_snapshot_larger_than_the_bound_is_refused_with_a_warning()
    {
        string big = WriteFile("best.safetensors", 10_000, 9);
        using var spool = Open(limit: 4096);

        Assert.Null(spool.AppendUpload(big, "best", "best.safetensors", 4));
        Assert.Empty(spool.Pending);
        Assert.Empty(Directory.GetFiles(Path.Combine(SpoolDir, HubSpool.FilesName)));
        Assert.Contains(_log.Warnings, w => w.Contains("larger than the spool's bound", StringComparison.Ordinal));
    }

    [Fact]
    public void The_latest_run_record_wins_after_reopening()
    {
        using (var spool = Open())
        {
            spool.SetRun(new SpoolRun("abc", "demo", "{}", null));
            spool.SetRun(new SpoolRun("abc", "demo", "{}", "0196aa"));
        }

        using var reopened = Open();
        Assert.Equal("0196aa", reopened.Run!.RunId);
    }

    [Fact]
    public void Snapshots_left_by_a_crash_before_journaling_are_removed_on_open()
    {
        using (Open())
        {
        }

        string orphan = Path.Combine(SpoolDir, HubSpool.FilesName, "00000007-last.safetensors");
        File.WriteAllText(orphan, "partial");

        using var spool = Open();
        Assert.False(File.Exists(orphan));
        Assert.Equal(0, spool.SizeBytes);
    }

    [Fact]
    public void The_journal_is_compacted_once_everything_is_acknowledged()
    {
        string journal = Path.Combine(SpoolDir, HubSpool.JournalName);
        using var spool = Open();
        spool.SetRun(new SpoolRun("abc", "demo", "{}", "r1"));
        var entries = Enumerable.Range(0, 10).Select(e => spool.AppendMetrics(e, Values(e))).ToList();

        spool.Complete(entries);

        string text = File.ReadAllText(journal, Encoding.UTF8);
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("\"op\":\"run\"", text, StringComparison.Ordinal);
    }
}
