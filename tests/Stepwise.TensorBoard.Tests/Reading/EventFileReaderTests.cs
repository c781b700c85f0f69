using Stepwise.TensorBoard.Reading;
using Stepwise.TensorBoard.Tests.Support;

namespace Stepwise.TensorBoard.Tests.Reading;

public class EventFileReaderTests
{
    // Record 1 of the scalars golden starts at byte 40 and is 30 + 16 bytes long; record 2 starts at 86.
    private const int Record1 = 40;
    private const int Record2 = 86;

    [Fact]
    public void Golden_scalars_file_reads_as_header_plus_one_hundred_scalars()
    {
        var events = EventFileReader.ReadFile(Golden.File("scalars")).ToList();
        Assert.Equal(101, events.Count);
        Assert.Equal(EventKind.FileVersion, events[0].Kind);
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        Assert.Equal(Golden.T0, events[0].WallTime);
        var loss = events.SelectMany(e => e.Values.Select(v => (e.Step, e.WallTime, v))).Where(x => x.v.Tag == "train/loss").ToList();
        Assert.Equal(50, loss.Count);
        for (int step = 0; step < 50; step++)
        {
            Assert.Equal(step, loss[step].Step);
            Assert.Equal(Golden.T0 + step, loss[step].WallTime);
            Assert.Equal(SummaryValueKind.Scalar, loss[step].v.Kind);
            Assert.Equal((double)(float)(1.0 / (1.0 + step)), loss[step].v.Scalar);
        }
    }

    [Fact]
    public void Scalar_fast_path_returns_the_same_points_as_full_decoding()
    {
        using var reader = new EventFileReader(Golden.File("scalars"));
        var fast = reader.ReadScalars().ToList();
        var full = EventFileReader.ReadFile(Golden.File("scalars"))
            .SelectMany(e => e.Values.Where(v => v.Kind == SummaryValueKind.Scalar).Select(v => new ScalarPoint(v.Tag, e.Step, e.WallTime, v.Scalar)))
            .ToList();
        Assert.Equal(100, fast.Count);
        Assert.Equal(full, fast);
    }

    [Fact]
    public void A_flipped_payload_byte_is_reported_with_its_record_offset_and_reading_stops_there()
    {
        var bytes = Golden.Bytes("scalars");
        bytes[Record1 + 12 + 5] ^= 0x40;
        using var reader = Open(bytes, CorruptRecordMode.Stop);
        var events = reader.ReadEvents().ToList();
        Assert.Single(events);
        var problem = Assert.Single(reader.Problems);
        Assert.Equal(Record1, problem.Offset);
        Assert.Equal(RecordProblemKind.DataChecksum, problem.Kind);
        Assert.Contains("byte 40", problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Skip_mode_resumes_at_the_next_valid_record_after_a_flipped_byte()
    {
        var bytes = Golden.Bytes("scalars");
        bytes[Record1 + 12 + 5] ^= 0x40;
        using var reader = Open(bytes, CorruptRecordMode.Skip);
        var events = reader.ReadEvents().ToList();
        Assert.Equal(100, events.Count);
        Assert.Equal(Record2, events[1].Offset);
        Assert.Equal(Record1, Assert.Single(reader.Problems).Offset);
    }

    [Fact]
    public void A_damaged_length_field_is_reported_as_a_length_checksum_problem()
    {
        var bytes = Golden.Bytes("scalars");
        bytes[Record2] ^= 0x01;
        using var reader = Open(bytes, CorruptRecordMode.Skip);
        var events = reader.ReadEvents().ToList();
        Assert.Equal(100, events.Count);
        var problem = Assert.Single(reader.Problems);
        Assert.Equal((Record2, RecordProblemKind.LengthChecksum), (problem.Offset, problem.Kind));
    }

    [Fact]
    public void A_wrong_stored_data_crc_is_reported_even_though_the_payload_is_intact()
    {
        var bytes = Golden.Bytes("scalars");
        bytes[Record2 - 1] ^= 0xFF;
        using var reader = Open(bytes, CorruptRecordMode.Stop);
        Assert.Single(reader.ReadEvents());
        Assert.Equal((Record1, RecordProblemKind.DataChecksum), (reader.Problems[0].Offset, reader.Problems[0].Kind));
    }

    [Fact]
    public void A_file_cut_in_the_middle_of_a_record_reports_truncation_at_that_record()
    {
        var bytes = Golden.Bytes("scalars")[..(Record2 + 20)];
        using var reader = Open(bytes, CorruptRecordMode.Skip);
        Assert.Equal(2, reader.ReadEvents().Count());
        var problem = Assert.Single(reader.Problems);
        Assert.Equal((Record2, RecordProblemKind.Truncated), (problem.Offset, problem.Kind));
    }

    [Fact]
    public void A_file_cut_inside_a_record_header_reports_truncation()
    {
        var bytes = Golden.Bytes("scalars")[..(Record2 + 5)];
        using var reader = Open(bytes, CorruptRecordMode.Stop);
        Assert.Equal(2, reader.ReadEvents().Count());
        Assert.Equal((Record2, RecordProblemKind.Truncated), (reader.Problems[0].Offset, reader.Problems[0].Kind));
    }

    [Fact]
    public void A_zero_length_file_has_no_events_and_no_problems()
    {
        using var reader = Open([], CorruptRecordMode.Throw);
        Assert.Empty(reader.ReadEvents());
        Assert.Empty(reader.Problems);
    }

    [Fact]
    public void Throw_mode_raises_an_exception_naming_file_and_offset()
    {
        var bytes = Golden.Bytes("scalars");
        bytes[Record2 + 12 + 3] ^= 0x10;
        using var reader = Open(bytes, CorruptRecordMode.Throw);
        var ex = Assert.Throws<EventFileCorruptException>(() => reader.ReadEvents().ToList());
        Assert.Equal(Record2, ex.Problem.Offset);
        Assert.Contains("mem.tfevents: byte 86", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_payload_with_valid_crc_but_broken_protobuf_is_reported_as_malformed()
    {
        byte[] payload = [0x2a, 0x7f, 0x01];
        var record = new byte[payload.Length + 16];
        BitConverter.GetBytes((ulong)payload.Length).CopyTo(record, 0);
        BitConverter.GetBytes(Stepwise.TensorBoard.Records.Crc32C.MaskedOfLength((ulong)payload.Length)).CopyTo(record, 8);
        payload.CopyTo(record, 12);
        BitConverter.GetBytes(Stepwise.TensorBoard.Records.Crc32C.ComputeMasked(payload)).CopyTo(record, 12 + payload.Length);
        var bytes = Golden.Bytes("text")[..40].Concat(record).Concat(Golden.Bytes("text")[40..]).ToArray();
        using var reader = Open(bytes, CorruptRecordMode.Skip);
        var events = reader.ReadEvents().ToList();
        Assert.Equal(2, events.Count);
        var problem = Assert.Single(reader.Problems);
        Assert.Equal((40L, RecordProblemKind.Malformed), (problem.Offset, problem.Kind));
    }

    [Fact]
    public void Records_larger_than_the_read_buffer_are_read_whole()
    {
        using var reader = new EventFileReader(new MemoryStream(Golden.Bytes("histogram")), "histogram", new EventReaderOptions { BufferSize = 64 });
        var events = reader.ReadEvents().ToList();
        Assert.Equal(3, events.Count);
        Assert.Equal(606, events[1].Values[0].Histogram!.BucketCounts.Count);
        Assert.Empty(reader.Problems);
    }

    private static EventFileReader Open(byte[] bytes, CorruptRecordMode mode) =>
        new(new MemoryStream(bytes), "mem.tfevents", new EventReaderOptions { OnCorruptRecord = mode });
}
