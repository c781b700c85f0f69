namespace Stepwise.TensorBoard.Model;

/// <summary>A <c>TensorProto</c> as summaries carry it (text, tensor scalars, PR curves, custom-scalar layouts).</summary>
public sealed record TensorData
{
    /// <summary>Element type.</summary>
    public TensorDataType DataType { get; init; }

    /// <summary>Dimensions; empty for a scalar; null when the tensor carried no shape field at all.</summary>
    public IReadOnlyList<long>? Shape { get; init; }

    /// <summary><c>float_val</c>.</summary>
    public IReadOnlyList<float> FloatValues { get; init; } = [];

    /// <summary><c>double_val</c>.</summary>
    public IReadOnlyList<double> DoubleValues { get; init; } = [];

    /// <summary><c>int_val</c> and <c>int64_val</c> (and <c>bool_val</c> as 0/1).</summary>
    public IReadOnlyList<long> IntValues { get; init; } = [];

    /// <summary><c>string_val</c> (raw bytes, usually UTF-8).</summary>
    public IReadOnlyList<byte[]> StringValues { get; init; } = [];

    /// <summary><c>tensor_content</c>: raw little-endian elements, empty when the values are in the typed lists.</summary>
    public byte[] Content { get; init; } = [];

    /// <summary>The first element as a number (float, double, integer or raw content), or null.</summary>
    public double? FirstNumber()
    {
        if (FloatValues.Count > 0)
        {
            return FloatValues[0];
        }

        if (DoubleValues.Count > 0)
        {
            return DoubleValues[0];
        }

        if (IntValues.Count > 0)
        {
            return IntValues[0];
        }

        return DataType switch
        {
            TensorDataType.Float when Content.Length >= 4 => BitConverter.ToSingle(Content, 0),
            TensorDataType.Double when Content.Length >= 8 => BitConverter.ToDouble(Content, 0),
            _ => null,
        };
    }
}
