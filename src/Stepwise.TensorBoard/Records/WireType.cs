namespace Stepwise.TensorBoard.Records;

/// <summary>Protobuf wire types (the low three bits of a field key).</summary>
internal enum WireType
{
    /// <summary>Varint: int32, int64, uint, bool, enum.</summary>
    Varint = 0,

    /// <summary>8 bytes little-endian: double, fixed64.</summary>
    Fixed64 = 1,

    /// <summary>Length-prefixed: string, bytes, embedded message, packed repeated.</summary>
    LengthDelimited = 2,

    /// <summary>Start of a group (deprecated).</summary>
    StartGroup = 3,

    /// <summary>End of a group (deprecated).</summary>
    EndGroup = 4,

    /// <summary>4 bytes little-endian: float, fixed32.</summary>
    Fixed32 = 5,
}
