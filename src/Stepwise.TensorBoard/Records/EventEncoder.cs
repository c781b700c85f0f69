using System.Buffers.Binary;
using System.Text;

namespace Stepwise.TensorBoard.Records;

/// <summary>
/// Builds serialized <c>Event</c> messages in the field layout of tensorboardX 2.6.5 (field-number
/// order, proto3 defaults omitted, packed repeated numbers).
/// </summary>
internal static class EventEncoder
{
    public const string FileVersionText = "brain.Event:2";

    // Event fields.
    public const int EventWallTime = 1;
    public const int EventStep = 2;
    public const int EventFileVersion = 3;
    public const int EventGraphDef = 4;
    public const int EventSummary = 5;
    public const int EventLogMessage = 6;
    public const int EventSessionLog = 7;
    public const int EventTaggedRunMetadata = 8;
    public const int EventMetaGraphDef = 9;
    public const int EventSourceMetadata = 10;

    // Summary.Value fields.
    public const int ValueTag = 1;
    public const int ValueSimple = 2;
    public const int ValueImage = 4;
    public const int ValueHisto = 5;
    public const int ValueAudio = 6;
    public const int ValueTensor = 8;
    public const int ValueMetadata = 9;

    /// <summary>The largest scalar event <see cref="EncodeScalar"/> writes: tag bytes plus this.</summary>
    public const int ScalarOverhead = 48;

    public static byte[] FileVersion(double wallTime)
    {
        var w = new ProtoWriter(32);
        w.Double(EventWallTime, wallTime);
        w.String(EventFileVersion, FileVersionText);
        return w.ToArray();
    }

    /// <summary>
    /// Encodes <c>Event{wall_time, step, summary{value{tag, simple_value}}}</c> straight into
    /// <paramref name="destination"/> (at least <paramref name="tagBytes"/> + <see cref="ScalarOverhead"/> bytes).
    /// </summary>
    /// <returns>The number of bytes written.</returns>
    public static int EncodeScalar(Span<byte> destination, double wallTime, long step, string tag, int tagBytes, float value)
    {
        // value = 0a <tag len> tag 15 <float>; summary = 0a <value len> value; event = 09 wall [10 step] 2a <summary len> summary
        int valueLength = 1 + ProtoWriter.VarintSize((ulong)tagBytes) + tagBytes + 5;
        int summaryLength = 1 + ProtoWriter.VarintSize((ulong)valueLength) + valueLength;
        int p = 0;
        if (BitConverter.DoubleToInt64Bits(wallTime) != 0)
        {
            destination[p++] = 0x09;
            BinaryPrimitives.WriteDoubleLittleEndian(destination[p..], wallTime);
            p += 8;
        }

        if (step != 0)
        {
            destination[p++] = 0x10;
            p += ProtoWriter.WriteVarint(destination[p..], (ulong)step);
        }

        destination[p++] = 0x2A;
        p += ProtoWriter.WriteVarint(destination[p..], (ulong)summaryLength);
        destination[p++] = 0x0A;
        p += ProtoWriter.WriteVarint(destination[p..], (ulong)valueLength);
        destination[p++] = 0x0A;
        p += ProtoWriter.WriteVarint(destination[p..], (ulong)tagBytes);
        p += Encoding.UTF8.GetBytes(tag, destination[p..]);
        destination[p++] = 0x15;
        BinaryPrimitives.WriteSingleLittleEndian(destination[p..], value);
        return p + 4;
    }

    /// <summary>Writes wall_time and step and opens <c>summary</c>; returns the summary bookmark.</summary>
    public static int BeginSummaryEvent(ProtoWriter w, double wallTime, long step)
    {
        w.Reset();
        w.Double(EventWallTime, wallTime);
        w.Int64(EventStep, step);
        return w.BeginMessage(EventSummary);
    }

    /// <summary>Writes wall_time and step of an event without a summary.</summary>
    public static void BeginEvent(ProtoWriter w, double wallTime, long step)
    {
        w.Reset();
        w.Double(EventWallTime, wallTime);
        w.Int64(EventStep, step);
    }

    /// <summary>Writes <c>metadata{plugin_data{plugin_name, content}, display_name, summary_description}</c>.</summary>
    public static void Metadata(ProtoWriter w, string? pluginName, ReadOnlySpan<byte> content, string? displayName = null, string? description = null, int dataClass = 0)
    {
        int metadata = w.BeginMessage(ValueMetadata);
        if (pluginName is not null)
        {
            int plugin = w.BeginMessage(1);
            w.String(1, pluginName);
            w.Bytes(2, content);
            w.EndMessage(plugin);
        }

        w.String(2, displayName);
        w.String(3, description);
        w.Int64(4, dataClass);
        w.EndMessage(metadata);
    }

    /// <summary>Writes a <c>TensorShapeProto</c> as field <paramref name="field"/> (an empty one for rank 0).</summary>
    public static void Shape(ProtoWriter w, int field, ReadOnlySpan<long> dims)
    {
        int shape = w.BeginMessage(field);
        foreach (long d in dims)
        {
            int dim = w.BeginMessage(2);
            w.Int64(1, d);
            w.EndMessage(dim);
        }

        w.EndMessage(shape);
    }
}
