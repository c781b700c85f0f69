namespace Stepwise.TensorBoard.Model;

/// <summary>The <c>DataType</c> values TensorBoard summaries use.</summary>
public enum TensorDataType
{
    /// <summary>Not set.</summary>
    Invalid = 0,

    /// <summary>32-bit float.</summary>
    Float = 1,

    /// <summary>64-bit float.</summary>
    Double = 2,

    /// <summary>32-bit integer.</summary>
    Int32 = 3,

    /// <summary>Unsigned byte.</summary>
    UInt8 = 4,

    /// <summary>Byte string.</summary>
    String = 7,

    /// <summary>64-bit integer.</summary>
    Int64 = 9,

    /// <summary>Boolean.</summary>
    Bool = 10,

    /// <summary>16-bit float.</summary>
    Half = 19,
}
